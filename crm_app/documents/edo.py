"""The electronic UPD of a deal: the FNS exchange file (format 5.03, crm_app.documents.upd_xml)
attached to the deal, for the accountant to send through the EDO operator instead of
retyping the printed UPD.

The file carries what the printed Universal Transfer Document carries (the same lines,
number and date: crm_app.documents.printing.closing_document_context), made once: asked
again, the deal gives the same file.
"""

import uuid

import frappe
from frappe import _
from frappe.utils import get_datetime, getdate, now_datetime

import crm_app
from crm_app.documents import closing, upd_xml
from crm_app.documents.printing import closing_document_context, currency_code, currency_name, upd_status
from crm_app.settings import get_settings


@frappe.whitelist(methods=["POST"])
def electronic_upd(deal: str) -> dict:
	"""Make (once) the electronic UPD of `deal` and attach it to the deal as a private File.

	Needs the print permission of the deal and a deal at Invoice Paid or Goods Shipped
	(where the printed closing documents are offered). Returns {"file_name", "file_url"}
	of the attached File: ON_NSCHFDOPPR_<buyer's EDO ID>_<seller's>_<YYYYMMDD>_<GUID>….xml,
	windows-1251, FNS format 5.03 (order ЕД-7-26/970@). Refused, with nothing attached,
	when the seller's EDO ID (CRM App Settings › Seller EDO ID), the buyer's (Client
	Company › EDO ID) or what the format needs (requisites, the director) is missing."""
	doc = frappe.get_doc("Deal", deal)
	doc.check_permission("print")
	if doc.stage not in closing.CLOSING_STAGES:
		frappe.throw(
			_("The electronic UPD is made once the invoice is paid (stage {0} or {1}).").format(
				_(closing.stages.INVOICE_PAID), _(closing.stages.GOODS_SHIPPED)
			),
			title=_("Not Yet"),
		)
	# one file per deal, also for two clicks at the same moment
	frappe.db.get_value("Deal", doc.name, "name", for_update=True)
	if existing := attached_upd(doc.name):
		return existing
	values = upd_values(doc)
	try:
		file_name, data = upd_xml.build(values)
	except upd_xml.UpdError as e:
		frappe.throw(_("The electronic UPD cannot be made: {0}").format(str(e)), title=_("Electronic UPD"))
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": file_name,
			"attached_to_doctype": "Deal",
			"attached_to_name": doc.name,
			"is_private": 1,
			"content": data,
		}
	).insert(ignore_permissions=True)
	return {"file_name": file.file_name, "file_url": file.file_url}


def attached_upd(deal: str) -> dict | None:
	"""{"file_name", "file_url"} of the electronic UPD already attached to `deal`: a locking
	read, so what another request committed while this one waited for the deal is seen."""
	file = frappe.qb.DocType("File")
	found = (
		frappe.qb.from_(file)
		.select(file.file_name, file.file_url)
		.where(
			(file.attached_to_doctype == "Deal")
			& (file.attached_to_name == deal)
			& (file.file_name.like(f"{upd_xml.PREFIX}%"))
		)
		.orderby(file.creation)
		.limit(1)
		.for_update()
		.run(as_dict=True)
	)
	return dict(found[0]) if found else None


def missing(values: dict, labels: dict) -> list[str]:
	return [label for key, label in labels.items() if not values.get(key)]


def upd_values(doc) -> dict:
	"""What `upd_xml.build` takes, from the deal's UPD print context (in Russian: the
	file's language), the settings and the client company. Throws, naming the fields to
	fill, when one is missing."""
	settings = get_settings()
	company = frappe.db.get_value(
		"Client Company",
		doc.client_company,
		["company_name", "inn", "kpp", "address", "edo_id"],
		as_dict=True,
	)
	lacking = missing(
		{
			**settings.as_dict(),
			"edo_id": (company or {}).get("edo_id"),
			"buyer_inn": (company or {}).get("inn"),
		},
		{
			"seller_edo_id": _("CRM App Settings › Seller EDO ID"),
			"edo_id": _("Client Company › EDO ID of {0}").format(doc.client_company),
			"buyer_inn": _("Client Company › INN of {0}").format(doc.client_company),
		},
	)
	lang = frappe.local.lang
	frappe.local.lang = "ru"
	try:
		context = closing_document_context(doc, closing.TRANSFER)
	finally:
		frappe.local.lang = lang
	seller = context["seller"]
	lacking += missing(
		seller,
		{
			"legal_name": _("CRM App Settings › Seller Legal Name"),
			"inn": _("CRM App Settings › Seller INN"),
			"director": _("CRM App Settings › Director"),
		},
	)
	if lacking:
		frappe.throw(
			_("To make the electronic UPD, fill in: {0}.").format(", ".join(lacking)),
			title=_("Electronic UPD"),
		)
	numbers = context["numbers"]
	if not numbers["number"]:
		frappe.throw(_("The transfer document of this deal has no number yet."), title=_("Electronic UPD"))
	lines = [
		{
			"name": line["item_name"],
			"okei": line["unit_code"],
			"unit": line["unit_name"],
			"qty": line["qty"],
			"price": line["net_amount"] / float(line["qty"]) if line["qty"] else 0,
			"net": line["net_amount"],
			"vat_rate": line["vat_rate"],
			"exempt": line["vat_exempt"],
			"vat": line["vat_amount"],
			"gross": line["gross_amount"],
		}
		for line in context["lines"]
	]
	basis = [
		{
			"name": "Счёт",
			"number": numbers["invoice_number"] or doc.name,
			"date": numbers["invoice_date"] or getdate(doc.creation),
		}
	]
	basis.append({"name": "Сделка", "number": doc.name, "date": getdate(doc.creation)})
	return {
		"recipient_edo_id": company.edo_id.strip(),
		"sender_edo_id": settings.seller_edo_id.strip(),
		"guid": str(uuid.uuid4()),
		"created": get_datetime(now_datetime()).replace(microsecond=0),
		"function": upd_xml.INVOICE_AND_TRANSFER if upd_status(context) == 1 else upd_xml.TRANSFER_ONLY,
		"number": numbers["number"],
		"date": numbers["date"],
		"shipment_date": numbers["shipment_date"] or numbers["date"],
		"seller": {
			"name": seller["legal_name"],
			"inn": seller["inn"],
			"kpp": seller.get("kpp"),
			"address": seller.get("address"),
			"director": seller["director"],
			"director_title": "Руководитель организации",
		},
		"buyer": {
			"name": company.company_name,
			"inn": company.inn,
			"kpp": company.kpp,
			"address": company.address,
		},
		"currency_code": currency_code(doc.currency) or upd_xml.RUB[0],
		"currency_name": currency_name(doc.currency, "ru") or upd_xml.RUB[1],
		"lines": lines,
		"net_total": context["net_total"],
		"vat_total": context["vat_total"],
		"grand_total": context["grand_total"],
		"basis": basis,
		"services_only": all(line["item_type"] == "Service" for line in context["lines"]),
		"program": f"crm_app {crm_app.__version__}",
	}


# The exchange file's name is its ИдФайл (two EDO IDs of up to 46 characters and a GUID):
# longer than the 140 characters of Frappe's File Name.
FILE_NAME_LENGTH = 255
FRAPPE_FILE_NAME_LENGTH = 140


def ensure_file_name_length():
	"""File › File Name holds 255 characters (a Property Setter; the column widened), so an
	electronic UPD keeps the name the format gives it. Run on install and migrate."""
	from frappe.custom.doctype.property_setter.property_setter import make_property_setter

	field = frappe.get_meta("File").get_field("file_name")
	if (field.length or 0) >= FILE_NAME_LENGTH:
		return
	make_property_setter(
		"File", "file_name", "length", FILE_NAME_LENGTH, "Int", validate_fields_for_doctype=False
	)
	frappe.clear_cache(doctype="File")
	frappe.db.updatedb("File")


def remove_file_name_length():
	"""Undo `ensure_file_name_length` on uninstall; the column is narrowed back only where
	no file name is longer than Frappe's own length."""
	frappe.db.delete("Property Setter", {"doc_type": "File", "field_name": "file_name", "property": "length"})
	frappe.clear_cache(doctype="File")
	longest = frappe.db.sql("select max(char_length(file_name)) from `tabFile`")[0][0] or 0
	if longest <= FRAPPE_FILE_NAME_LENGTH:
		frappe.db.updatedb("File")
