"""ERPNext's side: vouchers posted or cancelled in ERPNext move the deal.

doc_events on Sales Invoice, Payment Entry and Delivery Note. The outstanding
amount of an invoice changes by any means (Payment Entry, Journal Entry, credit
note, reconciliation); ERPNext then updates the invoice's status with db_set,
which fires the invoice's on_change, so `sales_invoice_on_change` sees every
payment and every cancelled payment.
"""

import frappe
from frappe.utils import flt

from crm_app.erpnext_integration.settings import posting_enabled
from crm_app.pipeline.rules import move_without_side_effects
from crm_app.utils.pipeline import INVOICE_ISSUED, LEDGER_STAGES, NEGOTIATION, ledger_stage


def _deal(name: str | None):
	if not name or not frappe.db.exists("Deal", name):
		return None
	return frappe.get_doc("Deal", name, for_update=True)


def invoice_shipped(invoice: str) -> bool:
	if frappe.db.get_value("Sales Invoice", invoice, "update_stock"):
		return True
	return bool(frappe.db.exists("Delivery Note Item", {"against_sales_invoice": invoice, "docstatus": 1}))


def sync_deal(invoice: str):
	"""Put the invoice's deal at the stage its payment and delivery say."""
	values = frappe.db.get_value(
		"Sales Invoice", invoice, ["crm_deal", "docstatus", "outstanding_amount", "is_return"], as_dict=True
	)
	if not values or values.docstatus != 1 or values.is_return:
		return
	state = frappe.db.get_value("Deal", values.crm_deal, ["stage", "sales_invoice"], as_dict=True)
	if not state or state.stage not in LEDGER_STAGES or state.sales_invoice != invoice:
		return
	target = ledger_stage(paid=flt(values.outstanding_amount) <= 0, shipped=invoice_shipped(invoice))
	if target != state.stage:
		deal = _deal(values.crm_deal)
		move_without_side_effects(deal, target, comment=True)
		from crm_app.documents.sms import queue_stage_sms

		queue_stage_sms(deal)  # the ledger's own moves reach the client too


def sales_invoice_on_change(doc, method=None):
	if posting_enabled() and doc.get("crm_deal") and doc.docstatus == 1 and not doc.is_return:
		sync_deal(doc.name)


def sales_invoice_on_submit(doc, method=None):
	"""An amended invoice takes the place of the cancelled one."""
	if not posting_enabled() or not doc.get("crm_deal") or doc.is_return:
		return
	state = frappe.db.get_value("Deal", doc.crm_deal, ["stage", "sales_invoice"], as_dict=True)
	if state and state.sales_invoice != doc.name and state.stage == NEGOTIATION:
		deal = _deal(doc.crm_deal)
		deal.db_set("sales_invoice", doc.name, update_modified=False)
		move_without_side_effects(deal, INVOICE_ISSUED, comment=True)
		sync_deal(doc.name)


def sales_invoice_on_cancel(doc, method=None):
	"""A cancelled invoice sends its deal back to Negotiation and frees the link."""
	if not posting_enabled() or not doc.get("crm_deal") or doc.is_return:
		return
	deal = _deal(doc.crm_deal)
	if not deal or deal.get("sales_invoice") != doc.name:
		return
	deal.db_set("sales_invoice", None, update_modified=False)
	if not doc.flags.crm_deal_withdrawn and deal.stage in LEDGER_STAGES:
		move_without_side_effects(deal, NEGOTIATION, comment=True)


def _deal_of_invoices(invoices) -> str | None:
	for invoice in invoices:
		deal = frappe.db.get_value("Sales Invoice", invoice, "crm_deal")
		if deal:
			return deal
	return None


def payment_entry_validate(doc, method=None):
	"""A payment shows the deal of the invoice it pays."""
	if doc.get("crm_deal") or not posting_enabled():
		return
	invoices = [r.reference_name for r in doc.references if r.reference_doctype == "Sales Invoice"]
	doc.crm_deal = _deal_of_invoices(invoices)


def delivery_note_validate(doc, method=None):
	if doc.get("crm_deal") or not posting_enabled():
		return
	doc.crm_deal = _deal_of_invoices({i.against_sales_invoice for i in doc.items if i.against_sales_invoice})


def delivery_note_changed(doc, method=None):
	"""on_submit / on_cancel of a Delivery Note: the invoice's deal follows."""
	if not posting_enabled() or doc.is_return:
		return
	for invoice in {i.against_sales_invoice for i in doc.items if i.against_sales_invoice}:
		sync_deal(invoice)
