"""Print contexts of the deal's print formats.

Exposed to Jinja (hooks: jinja methods):
- `deal_print_context(doc)`: Deal Invoice (with its payment QR code) and Commercial Offer;
- `closing_document_context(doc, document)`: Universal Transfer Document ("transfer") and
  Act of Completed Works ("act"), numbered by crm_app.documents.closing.

Gathers the seller's requisites (CRM App Settings, or the ERPNext company where the
settings leave them empty), the buyer's, the units table and the deal's lines, and hands
them to the pure builders beside it (print_context, payment_qr, countries) and the catalog's units.
"""

import frappe
from frappe.utils import add_days, formatdate, getdate, nowdate

from crm_app.documents import payment_qr
from crm_app.documents.countries import country_for_print
from crm_app.documents.print_context import build_context
from crm_app.settings import get_settings, seller_pays_vat

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
		["company_name", "entity_type", "inn", "kpp", "ogrn", "address", "phone", "email", "director"],
		as_dict=True,
	)
	return dict(company or {})


def print_lines(doc, lang: str) -> list[dict]:
	"""The deal's lines as dicts with what the documents print beyond the deal line:
	item_type (the catalog item's; a line without one is a product) and the country of
	origin's OKSM code and short name."""
	from crm_app.documents.closing import line_types

	lines = []
	for row, item_type in zip(doc.items, line_types(doc), strict=True):
		line = row.as_dict()
		line["item_type"] = item_type
		if row.get("country_of_origin"):
			alpha_2 = frappe.db.get_value("Country", row.country_of_origin, "code", cache=True)
			country = country_for_print(alpha_2, lang)
			line["country_code"] = country["code"]
			line["country_of_origin"] = country["name"] or row.country_of_origin
		lines.append(line)
	return lines


def _context(doc, lines: list[dict], lang: str) -> dict:
	precision = int(doc.precision("grand_total") or 2)
	units = [row.as_dict() for row in get_settings().get("units") or []]
	deal = {"currency": doc.currency, "prices_include_vat": doc.prices_include_vat, "items": lines}
	return build_context(
		deal, seller_requisites(), buyer_requisites(doc.client_company), lang, precision, units
	)


def deal_print_context(doc) -> dict:
	"""Everything the Deal Invoice and Commercial Offer show, formatted for the print
	language; `payment_qr` is the invoice's GOST R 56042-2014 QR code as a data: URI
	(crm_app.documents.payment_qr), or "" for a deal not in RUB or a seller whose bank
	requisites are incomplete."""
	lang = frappe.local.lang or "en"
	context = _context(doc, print_lines(doc, lang), lang)
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
	context["payment_qr"] = invoice_qr(context, getdate(date), doc.currency)
	return context


def invoice_qr(context: dict, date, currency: str | None) -> str:
	"""The payment QR code of an invoice context, as a data: URI; "" when it cannot be
	paid by QR (not RUB, incomplete bank requisites, nothing to pay)."""
	if currency != "RUB":
		return ""
	purpose = payment_qr.invoice_purpose(
		context["number"], date.strftime("%d.%m.%Y"), context["vat_by_rate"], context["without_vat"]
	)
	values = payment_qr.invoice_values(context["seller"], context["grand_total"], purpose)
	return payment_qr.data_uri(payment_qr.payload(values)) if values else ""


def closing_document_context(doc, document: str) -> dict:
	"""What the closing documents show: `document` "transfer" (Universal Transfer
	Document: every line) or "act" (Act of Completed Works: the service lines), with
	their number and date (crm_app.documents.closing.document_number), the invoice they
	rest on, the shipment date and the UPD status (`upd_status`)."""
	from crm_app.documents import closing

	lang = frappe.local.lang or "en"
	lines = print_lines(doc, lang)
	if document == closing.ACT:
		lines = [line for line in lines if line["item_type"] == "Service"]
	context = _context(doc, lines, lang)
	numbers = closing.document_number(doc, document, applies=bool(lines))
	context.update(
		{
			"document": document,
			"number": numbers["number"],
			"date": formatdate(numbers["date"]) if numbers["date"] else "",
			"invoice_number": numbers["invoice_number"],
			"invoice_date": formatdate(numbers["invoice_date"]) if numbers["invoice_date"] else "",
			"shipment_date": formatdate(numbers["shipment_date"]) if numbers["shipment_date"] else "",
			"upd_status": upd_status(context),
			"title": doc.title or "",
			"deal": doc.name,
			"currency_name": currency_name(doc.currency, lang),
			"currency_code": currency_code(doc.currency),
			"numbers": numbers,  # as dates, for the electronic UPD
		}
	)
	return context


def upd_status(context: dict) -> int:
	"""The transfer document's status: 1 (invoice-factura and transfer act) for a VAT payer,
	and for anyone whose lines carry VAT (a seller who charges VAT issues an
	invoice-factura, Tax Code art. 173 p. 5); 2 (transfer act only) otherwise."""
	return 1 if seller_pays_vat() or not context["without_vat"] else 2


def currency_name(currency: str | None, lang: str) -> str:
	"""The currency's name in the print language (Babel's CLDR data): "Российский рубль"."""
	from babel.numbers import get_currency_name

	try:
		return get_currency_name(currency or "", locale=(lang or "en").replace("-", "_")) if currency else ""
	except Exception:
		return currency or ""


def currency_code(currency: str | None) -> str:
	"""The currency's numeric code by OKV (ISO 4217): RUB → 643."""
	import pycountry

	found = pycountry.currencies.get(alpha_3=currency or "") if currency else None
	return found.numeric if found else ""
