"""ERPNext's side: vouchers posted, cancelled or amended in ERPNext move the deal.

doc_events on Sales Invoice, Payment Entry, Journal Entry and Delivery Note. An invoice's
outstanding amount changes by any means (Payment Entry, Journal Entry, credit note,
reconciliation); ERPNext then updates the invoice's status with db_set, which fires the
invoice's on_change, so `sales_invoice_on_change` sees every payment and every cancelled
payment. What the vouchers say is read from the ledger (`invoice_settlement`), never
from the outstanding amount alone: a credit note brings it to zero without a payment.

Every move goes through `pipeline.events.record_fact`, a save of the deal like any
other: history, funnel facts, ToDo, Notifications and SMS follow as for an action.
"""

from dataclasses import dataclass

import frappe
from frappe import _
from frappe.query_builder.functions import Sum
from frappe.utils import flt

from crm_app.erpnext_integration.settings import posting_enabled
from crm_app.pipeline.events import record_fact
from crm_app.pipeline.stages import (
	CREDITED,
	INVOICE_ISSUED,
	LEDGER_STAGES,
	NEGOTIATION,
	PAID,
	ledger_stage,
	settlement,
)

# Journal Entries against an invoice that are not payments: a credit note reconciled with
# it, a debit note, a write-off.
NOT_PAYMENTS = ("Credit Note", "Debit Note", "Write Off Entry")
VOUCHER_FLAG = "crm_ledger_voucher"


@dataclass
class Settlement:
	"""What the ledger says of an invoice, in the currency of its receivable account."""

	status: str  # stages.OPEN, PAID or CREDITED
	total: float
	credited: float
	paid: float
	outstanding: float

	@property
	def due(self) -> float:
		"""What the client still has to pay once the credit notes are taken off."""
		return max(self.total - self.credited - self.paid, 0)


def _party_total(values) -> float:
	"""An invoice's total in its receivable account's currency, as ERPNext counts it."""
	foreign_account = values.party_account_currency and values.party_account_currency != values.currency
	if foreign_account:
		return flt(values.base_rounded_total or values.base_grand_total)
	if values.disable_rounded_total:
		return flt(values.grand_total)
	return flt(values.rounded_total or values.grand_total)


TOTAL_FIELDS = [
	"currency",
	"party_account_currency",
	"grand_total",
	"rounded_total",
	"base_grand_total",
	"base_rounded_total",
	"disable_rounded_total",
	"outstanding_amount",
]


def invoice_settlement(invoice: str) -> Settlement:
	"""Read the ledger for one Sales Invoice.

	- credited: the submitted credit notes made against it (`return_against`), whether they
	  reduce its outstanding amount or keep their own ("Update Outstanding for Self");
	- paid: what Payment Entries and Journal Entries (other than credit/debit notes and
	  write-offs) allocate to it in the Payment Ledger, advances reconciled with it included.
	"""
	values = frappe.db.get_value("Sales Invoice", invoice, TOTAL_FIELDS, as_dict=True)
	total = _party_total(values)
	returns = frappe.get_all(
		"Sales Invoice",
		filters={"return_against": invoice, "is_return": 1, "docstatus": 1},
		fields=TOTAL_FIELDS,
	)
	credited = sum(abs(_party_total(r)) for r in returns)
	ple = frappe.qb.DocType("Payment Ledger Entry")
	journal = frappe.qb.DocType("Journal Entry")
	allocated = (
		frappe.qb.from_(ple)
		.left_join(journal)
		.on((ple.voucher_type == "Journal Entry") & (journal.name == ple.voucher_no))
		.select(Sum(ple.amount_in_account_currency))
		.where(ple.against_voucher_type == "Sales Invoice")
		.where(ple.against_voucher_no == invoice)
		.where(ple.delinked == 0)
		.where(
			(ple.voucher_type == "Payment Entry")
			| ((ple.voucher_type == "Journal Entry") & journal.voucher_type.notin(NOT_PAYMENTS))
		)
	).run()
	paid = -flt(allocated[0][0]) if allocated else 0.0
	precision = frappe.get_precision("Sales Invoice", "grand_total") or 2
	return Settlement(
		status=settlement(total, credited, paid, int(precision)),
		total=total,
		credited=credited,
		paid=paid,
		outstanding=flt(values.outstanding_amount),
	)


def invoice_shipped(invoice: str) -> bool:
	if frappe.db.get_value("Sales Invoice", invoice, "update_stock"):
		return True
	return bool(frappe.db.exists("Delivery Note Item", {"against_sales_invoice": invoice, "docstatus": 1}))


def ledger_target(invoice: str) -> str:
	"""The stage the invoice's vouchers put its deal at."""
	status = invoice_settlement(invoice).status
	if status == CREDITED:
		return NEGOTIATION
	return ledger_stage(paid=status == PAID, shipped=invoice_shipped(invoice))


def _reference(invoice: str, reference: tuple[str, str] | None) -> tuple[str, str]:
	"""The voucher that moved the deal: the one given, the Payment Entry or Journal Entry
	being submitted or cancelled in this request, else the invoice itself."""
	if reference:
		return reference
	voucher = frappe.flags.get(VOUCHER_FLAG)
	if voucher and frappe.db.exists(
		"Payment Ledger Entry",
		{"voucher_type": voucher[0], "voucher_no": voucher[1], "against_voucher_no": invoice},
	):
		return voucher
	return ("Sales Invoice", invoice)


def sync_deal(invoice: str, reference: tuple[str, str] | None = None):
	"""Put the invoice's deal at the stage its payments, credit notes and deliveries say.
	A fully credited invoice is treated as a cancelled one: the deal goes back to
	Negotiation and the link is freed, so Issue Invoice makes a new invoice."""
	values = frappe.db.get_value(
		"Sales Invoice", invoice, ["crm_deal", "docstatus", "is_return"], as_dict=True
	)
	if not values or not values.crm_deal or values.docstatus != 1 or values.is_return:
		return
	state = frappe.db.get_value("Deal", values.crm_deal, ["stage", "sales_invoice"], as_dict=True)
	if not state or state.stage not in LEDGER_STAGES or state.sales_invoice != invoice:
		return
	target = ledger_target(invoice)
	if target == state.stage:
		return
	link = {"sales_invoice": None} if target == NEGOTIATION else {}
	record_fact(values.crm_deal, target, *_reference(invoice, reference), values=link)


def sales_invoice_on_change(doc, method=None):
	if posting_enabled() and doc.get("crm_deal") and doc.docstatus == 1 and not doc.is_return:
		sync_deal(doc.name)


def sales_invoice_on_submit(doc, method=None):
	"""A credit note settles or withdraws the invoice it is made against; an amended
	invoice takes the place of the cancelled one."""
	if not posting_enabled():
		return
	if doc.is_return:
		if doc.return_against:
			sync_deal(doc.return_against, ("Sales Invoice", doc.name))
		voucher_done(doc)
		return
	if not doc.get("crm_deal"):
		return
	state = frappe.db.get_value("Deal", doc.crm_deal, ["stage", "sales_invoice"], as_dict=True)
	if state and state.sales_invoice != doc.name and state.stage == NEGOTIATION:
		record_fact(
			doc.crm_deal, INVOICE_ISSUED, "Sales Invoice", doc.name, values={"sales_invoice": doc.name}
		)
		sync_deal(doc.name)


def sales_invoice_on_cancel(doc, method=None):
	"""A cancelled invoice sends its deal back to Negotiation and frees the link; a
	cancelled credit note gives the deal its invoice back at the stage the ledger says."""
	if not posting_enabled():
		return
	if doc.is_return:
		if doc.return_against:
			restore_credited_invoice(doc)
		voucher_done(doc)
		return
	if not doc.get("crm_deal") or doc.flags.crm_deal_withdrawn:
		return
	state = frappe.db.get_value("Deal", doc.crm_deal, ["stage", "sales_invoice"], as_dict=True)
	if not state or state.sales_invoice != doc.name:
		return
	stage = NEGOTIATION if state.stage in LEDGER_STAGES else state.stage
	record_fact(doc.crm_deal, stage, "Sales Invoice", doc.name, values={"sales_invoice": None})


def restore_credited_invoice(credit_note):
	"""The credit note that withdrew an invoice is cancelled: if the deal is still where
	that credit note left it (Negotiation, no invoice, its last move named the credit
	note), the invoice is the deal's again, at the stage its vouchers say. Otherwise the
	invoice's deal only follows its ledger."""
	invoice = credit_note.return_against
	deal = frappe.db.get_value("Sales Invoice", invoice, "crm_deal")
	if not deal:
		return
	state = frappe.db.get_value("Deal", deal, ["stage", "sales_invoice"], as_dict=True)
	if state and state.sales_invoice == invoice:
		sync_deal(invoice, ("Sales Invoice", credit_note.name))
		return
	last_reference = frappe.get_all(
		"Deal Stage Log",
		filters={"parent": deal, "parenttype": "Deal"},
		pluck="reference_name",
		order_by="idx desc",
		limit=1,
	)
	if (
		state
		and state.stage == NEGOTIATION
		and not state.sales_invoice
		and last_reference == [credit_note.name]
	):
		record_fact(
			deal, ledger_target(invoice), "Sales Invoice", credit_note.name, values={"sales_invoice": invoice}
		)


def sales_invoice_before_posting(doc, method=None):
	"""before_submit / before_cancel of a Sales Invoice: a credit note names itself in the
	history of the deal whose invoice it settles or withdraws."""
	if doc.is_return and doc.return_against:
		voucher_started(doc)
	else:
		lock_deals(doc)


def voucher_started(doc, method=None):
	"""before_submit / before_cancel of a Payment Entry or Journal Entry: the deals the
	voucher may move are locked first (`lock_deals`), and the deal's history will name
	this voucher if it moves the deal."""
	lock_deals(doc)
	frappe.flags[VOUCHER_FLAG] = (doc.doctype, doc.name)


def _voucher_invoices(doc) -> set[str]:
	"""The Sales Invoices a voucher settles, returns, delivers or is."""
	if doc.doctype == "Payment Entry":
		rows = [r.reference_name for r in doc.get("references") if r.reference_doctype == "Sales Invoice"]
	elif doc.doctype == "Journal Entry":
		rows = [r.reference_name for r in doc.get("accounts") if r.reference_type == "Sales Invoice"]
	elif doc.doctype == "Delivery Note":
		rows = [i.against_sales_invoice for i in doc.get("items")]
	elif doc.doctype == "Sales Invoice":
		rows = [doc.return_against] if doc.is_return else [doc.name] if not doc.is_new() else []
	else:
		rows = []
	return {r for r in rows if r}


def lock_deals(doc, method=None):
	"""Lock the deals a voucher may move before the voucher takes any lock of its own.

	Lock order, everywhere: the deal first, then ERPNext's naming series and vouchers. A
	stage change (Confirm Payment, Ship Goods) locks its deal when it saves it, then
	creates the voucher; an accountant's voucher posted in ERPNext would otherwise take
	the naming series (on insert) and the invoice (on submit) first and the deal last,
	from the ledger hooks, and the two would deadlock. doc_event (before_insert, which
	runs before the name is taken, and before_submit / before_cancel) on Payment Entry,
	Journal Entry, Delivery Note and Sales Invoice; does nothing without posting on."""
	if not posting_enabled():
		return
	invoices = _voucher_invoices(doc)
	deals = {doc.get("crm_deal")} if doc.get("crm_deal") else set()
	if invoices:
		deals |= set(
			frappe.get_all(
				"Sales Invoice",
				filters={"name": ("in", list(invoices)), "crm_deal": ("is", "set")},
				pluck="crm_deal",
			)
		)
	if not deals:
		return
	deal = frappe.qb.DocType("Deal")
	query = frappe.qb.from_(deal).select(deal.name, deal.modified).where(deal.name.isin(sorted(deals)))
	latest = dict(query.orderby(deal.name).for_update().run())
	if latest != dict(query.run()):
		# The lock waited for a stage change of the deal (Confirm Payment posting its own
		# payment, say) that this transaction's snapshot does not see: ERPNext would validate
		# this voucher against an invoice as it was before. Refused like Frappe refuses a
		# document changed since it was opened.
		frappe.throw(
			_(
				"Deal {0} changed at the same moment (another payment or stage change): reload and try again."
			).format(", ".join(sorted(latest))),
			frappe.TimestampMismatchError,
			title=_("Changed at the Same Moment"),
		)


def voucher_done(doc, method=None):
	"""on_submit / on_cancel of a Payment Entry or Journal Entry."""
	frappe.flags.pop(VOUCHER_FLAG, None)


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
		sync_deal(invoice, ("Delivery Note", doc.name))
