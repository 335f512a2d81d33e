"""Closing documents of a deal: the Universal Transfer Document (УПД) and the Act of
Completed Works (акт выполненных работ / оказанных услуг), their numbers and the
"Print closing documents" button's method.

Numbering:
- with ERPNext posting the deal, both carry the Sales Invoice's number and posting
  date, and the transfer document's shipment date is the last submitted Delivery
  Note's posting date (crm_app.erpnext_integration.printing.closing_numbers);
- otherwise each document gets a number of the app's own series (TRANSFER_SERIES,
  ACT_SERIES) and today's date the first time it is printed, kept on the deal
  (transfer_document_number / _date, completion_act_number / _date) so reprints show
  the same number; they rest on the deal's own invoice (the Deal Invoice, numbered by
  the deal) and the shipment date is the day the deal reached Goods Shipped. Numbers are given only from Invoice Paid on (CLOSING_STAGES);
  earlier the documents print as drafts without a number.
"""

import frappe
from frappe import _
from frappe.model.naming import make_autoname
from frappe.utils import getdate, today

from crm_app.pipeline import stages

TRANSFER = "transfer"
ACT = "act"
PRINT_FORMATS = {TRANSFER: "Universal Transfer Document", ACT: "Act of Completed Works"}
TRANSFER_SERIES = "UPD-.YYYY.-.#####"
ACT_SERIES = "ACT-.YYYY.-.#####"
SERIES = {TRANSFER: TRANSFER_SERIES, ACT: ACT_SERIES}
FIELDS = {
	TRANSFER: ("transfer_document_number", "transfer_document_date"),
	ACT: ("completion_act_number", "completion_act_date"),
}
CLOSING_STAGES = (stages.INVOICE_PAID, stages.GOODS_SHIPPED)


def document_number(deal, document: str, applies: bool = True) -> dict:
	"""{"number", "date", "invoice_number", "invoice_date", "shipment_date"} of a closing
	document of `deal` (a Deal document); dates are date objects or None, the number ""
	for a draft. Assigns the app's own number on the first print (see the module) when the
	document `applies` (the act: the deal has service lines) and the user may print the
	deal; otherwise it prints as a draft."""
	if document not in FIELDS:
		frappe.throw(_("Unknown closing document: {0}").format(document))
	from crm_app.erpnext_integration.settings import posting_enabled

	if posting_enabled() and deal.get("sales_invoice"):
		from crm_app.erpnext_integration.printing import closing_numbers

		numbers = closing_numbers(deal)
		if numbers:
			return numbers
	number_field, date_field = FIELDS[document]
	if (
		applies
		and not deal.get(number_field)
		and deal.stage in CLOSING_STAGES
		and not deal.is_new()
		and frappe.has_permission("Deal", "print", deal)
	):
		assign_number(deal, document)
	date = deal.get(date_field)
	shipped = [row.changed_at for row in deal.stage_history if row.stage == stages.GOODS_SHIPPED]
	return {
		"number": deal.get(number_field) or "",
		"date": getdate(date) if date else None,
		"invoice_number": deal.name,
		"invoice_date": getdate(deal.creation),
		"shipment_date": getdate(shipped[-1]) if shipped else None,
	}


def assign_number(deal, document: str):
	"""Give `deal` its number for `document` from the app's series, stored at once (a
	print is a GET request: the number is committed with it, `flags.commit`). The deal's
	row is locked first, so that prints of one deal at the same moment share one number
	instead of spending several."""
	number_field, date_field = FIELDS[document]
	stored = frappe.db.get_value("Deal", deal.name, [number_field, date_field], for_update=True)
	if stored and stored[0]:
		values = {number_field: stored[0], date_field: stored[1]}
	else:
		values = {number_field: make_autoname(SERIES[document], "Deal"), date_field: today()}
		frappe.db.set_value("Deal", deal.name, values, update_modified=False)
		if getattr(frappe.local, "request", None) is not None:
			frappe.local.flags.commit = True
	deal.update(values)


def line_types(deal) -> list[str]:
	"""Each line's type, in order: its catalog item's item_type ("Product" / "Service");
	a line without a catalog item is a product."""
	catalog = list({row.catalog_item for row in deal.items if row.catalog_item})
	types = (
		dict(
			frappe.get_all(
				"Catalog Item", filters={"name": ("in", catalog)}, fields=["name", "item_type"], as_list=True
			)
		)
		if catalog
		else {}
	)
	return [types.get(row.catalog_item) or "Product" for row in deal.items]


@frappe.whitelist()
def closing_documents(deal: str) -> list[dict]:
	"""The closing documents `deal` prints, numbered: [{"document", "print_format",
	"number", "lang" (the print format's default print language)}], the transfer document when it has lines, the act when it has service
	lines. Refused for a deal before Invoice Paid or a user who may not print it."""
	doc = frappe.get_doc("Deal", deal)
	doc.check_permission("print")
	if doc.stage not in CLOSING_STAGES:
		frappe.throw(
			_("Closing documents are printed once the invoice is paid (stage {0} or {1}).").format(
				_(stages.INVOICE_PAID), _(stages.GOODS_SHIPPED)
			),
			title=_("Not Yet"),
		)
	types = set(line_types(doc))
	documents = [TRANSFER] if types else []
	if "Service" in types:
		documents.append(ACT)
	return [
		{
			"document": document,
			"print_format": PRINT_FORMATS[document],
			"number": document_number(doc, document)["number"],
			"lang": frappe.db.get_value("Print Format", PRINT_FORMATS[document], "default_print_language")
			or frappe.local.lang,
		}
		for document in documents
	]
