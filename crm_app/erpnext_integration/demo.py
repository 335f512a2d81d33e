"""The ERPNext side of the demo year (crm_app.demo.load): the fiscal years it spans, the
goods in the warehouse before the first shipment, and the accountant's own postings — a
payment or a delivery entered in ERPNext, which the deal then follows
(crm_app.erpnext_integration.ledger). Everything through ERPNext's own documents and
mappings, with the posting date of the moment the demo's clock shows."""

from datetime import date

import frappe
from frappe import _
from frappe.utils import flt, nowdate

from crm_app.erpnext_integration.masters import ensure_item
from crm_app.erpnext_integration.settings import get_accounting_settings


def ensure_fiscal_years(first: date, last: date, company: str) -> list[str]:
	"""A calendar-year Fiscal Year for every year from `first` to `last` that none covers
	(the quick start makes only the current one); returns those made."""
	made = []
	for year in range(first.year, last.year + 1):
		probe = max(first, date(year, 1, 1))
		covered = frappe.db.exists(
			"Fiscal Year", {"year_start_date": ("<=", probe), "year_end_date": (">=", probe), "disabled": 0}
		)
		if covered:
			continue
		doc = frappe.get_doc(
			{
				"doctype": "Fiscal Year",
				"year": str(year),
				"year_start_date": date(year, 1, 1),
				"year_end_date": date(year, 12, 31),
				"companies": [{"company": company}],
			}
		)
		doc.insert(ignore_permissions=True)
		made.append(doc.name)
	if made:
		forget_fiscal_years()
	return made


def forget_fiscal_years():
	"""Drop ERPNext's cached list of fiscal years (`erpnext.accounts.utils.get_fiscal_years`
	keeps it per company in the cache): ERPNext 15 drops it when a Fiscal Year is saved or
	deleted, ERPNext 16 no longer does, and a year made or removed would stay unseen."""
	frappe.cache.delete_key("fiscal_years")


def receive_stock(quantities: dict[str, float]) -> str | None:
	"""A Material Receipt of the products the year ships (Catalog Item → quantity) into the
	settings' warehouse, valued at 60 % of the catalog price; None when there are none."""
	acc = get_accounting_settings()
	lines = []
	for catalog_item, qty in quantities.items():
		rate = flt(frappe.db.get_value("Catalog Item", catalog_item, "standard_rate"))
		lines.append(
			{
				"item_code": ensure_item(catalog_item),
				"qty": round(qty),
				"basic_rate": round(rate * 0.6, 2),
				"t_warehouse": acc.warehouse,
			}
		)
	if not lines:
		return None
	entry = frappe.get_doc(
		{
			"doctype": "Stock Entry",
			"stock_entry_type": "Material Receipt",
			"purpose": "Material Receipt",
			"company": acc.company,
			"to_warehouse": acc.warehouse,
			"items": lines,
		}
	)
	entry.flags.ignore_permissions = True
	entry.submit()
	return entry.name


def check_currency():
	"""Refuse (frappe.ValidationError) a company that keeps its books in another currency
	than rubles, the demo's: its invoices would need exchange rates for a whole year."""
	acc = get_accounting_settings()
	if acc.company_currency != "RUB":
		frappe.throw(
			_("The demo year is in rubles: ERPNext company {0} keeps its books in {1}.").format(
				acc.company, acc.company_currency
			),
			title=_("Demo Data"),
		)


def prepare_year(first: date, quantities: dict[str, float]):
	"""Fiscal years from `first` to today, and the goods received on `first`."""
	acc = get_accounting_settings()
	ensure_fiscal_years(first, frappe.utils.getdate(nowdate()), acc.company)
	receive_stock(quantities)


def pay_invoice(invoice: str) -> str:
	"""The accountant enters the client's payment of the whole invoice in ERPNext (Payment
	Entry from the invoice, as the invoice's *Create › Payment* does), as the session user."""
	from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

	if not invoice:
		frappe.throw(_("The deal has no Sales Invoice to pay."))
	acc = get_accounting_settings()
	payment = get_payment_entry("Sales Invoice", invoice)
	if acc.mode_of_payment:
		payment.mode_of_payment = acc.mode_of_payment
	payment.reference_no = payment.reference_no or invoice
	payment.reference_date = payment.reference_date or nowdate()
	payment.submit()
	return payment.name


def deliver_invoice(invoice: str) -> str | None:
	"""The storekeeper ships the invoice's goods in ERPNext (Delivery Note from the invoice,
	as *Create › Delivery* does), as the session user; None for services only."""
	from crm_app.erpnext_integration.deal_stage import delivery_note_for

	if not invoice:
		frappe.throw(_("The deal has no Sales Invoice to deliver."))
	note = delivery_note_for(invoice)
	if not note:
		return None
	note.submit()
	return note.name
