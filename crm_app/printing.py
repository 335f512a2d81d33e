"""Print context for the Deal Invoice and Commercial Offer print formats.

Exposed to Jinja as `deal_print_context(doc)` (hooks: jinja methods). Gathers
the seller's requisites (CRM App Settings, or the ERPNext company where the
settings leave them empty), the buyer's, and the deal's numbers, and hands them
to the pure builder in crm_app.utils.print_context.
"""

import frappe
from frappe.utils import add_days, formatdate, getdate, nowdate

from crm_app.utils.print_context import build_context
from crm_app.utils.settings import get_settings

SELLER_FIELDS = (
	"legal_name",
	"inn",
	"kpp",
	"ogrn",
	"address",
	"bank_name",
	"bik",
	"settlement_account",
	"correspondent_account",
	"director",
	"chief_accountant",
)


def seller_requisites() -> dict:
	settings = get_settings()
	seller = {field: settings.get(f"seller_{field}") or "" for field in SELLER_FIELDS}
	from crm_app.erpnext_integration.settings import posting_enabled

	if posting_enabled() and not all(seller[f] for f in ("legal_name", "inn", "bank_name")):
		from crm_app.erpnext_integration.printing import fill_seller_from_company

		fill_seller_from_company(seller)
	return seller


def buyer_requisites(client_company: str | None) -> dict:
	if not client_company:
		return {}
	company = frappe.db.get_value(
		"Client Company",
		client_company,
		["company_name", "entity_type", "inn", "kpp", "ogrn", "address", "phone", "email"],
		as_dict=True,
	)
	return dict(company or {})


def deal_print_context(doc) -> dict:
	"""Everything the deal's print formats show, formatted for the print language."""
	lang = frappe.local.lang or "en"
	precision = int(doc.precision("grand_total") or 2)
	context = build_context(
		doc.as_dict(), seller_requisites(), buyer_requisites(doc.client_company), lang, precision
	)
	number, date = doc.name, getdate(doc.creation)
	invoice = doc.get("sales_invoice")
	if invoice and frappe.db.exists("Sales Invoice", invoice):
		number, date = invoice, frappe.db.get_value("Sales Invoice", invoice, "posting_date")
	settings = get_settings()
	valid_until = doc.expected_close_date or add_days(nowdate(), settings.get("offer_validity_days") or 14)
	contact = (
		frappe.db.get_value("Client Contact", doc.contact, ["full_name", "position"], as_dict=True)
		if doc.contact
		else None
	)
	context.update(
		{
			"number": number,
			"date": formatdate(date),
			"title": doc.title or "",
			"contact": dict(contact or {}),
			"valid_until": formatdate(valid_until),
			"terms": settings.get("offer_terms") or "",
		}
	)
	return context
