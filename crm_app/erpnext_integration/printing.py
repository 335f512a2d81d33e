"""The seller's requisites from the ERPNext company, where CRM App Settings leave them empty."""

import frappe

from crm_app.erpnext_integration.settings import get_accounting_settings


def fill_seller_from_company(seller: dict):
	company = get_accounting_settings().company
	values = frappe.db.get_value("Company", company, ["company_name", "tax_id"], as_dict=True) or {}
	seller["legal_name"] = seller["legal_name"] or values.get("company_name") or company
	seller["inn"] = seller["inn"] or values.get("tax_id") or ""
	if not seller["address"]:
		address = frappe.db.get_value(
			"Dynamic Link",
			{"link_doctype": "Company", "link_name": company, "parenttype": "Address"},
			"parent",
		)
		if address:
			seller["address"] = frappe.get_doc("Address", address).get_display().replace("<br>", ", ")
	account = frappe.db.get_value(
		"Bank Account",
		{"company": company, "is_company_account": 1, "disabled": 0},
		["bank", "bank_account_no", "branch_code"],
		as_dict=True,
		order_by="is_default desc",
	)
	if account:
		seller["bank_name"] = seller["bank_name"] or account.bank or ""
		seller["settlement_account"] = seller["settlement_account"] or account.bank_account_no or ""
		seller["bik"] = seller["bik"] or account.branch_code or ""


def closing_numbers(deal) -> dict | None:
	"""The closing documents' numbers from ERPNext: the deal's Sales Invoice (number and
	posting date, for both documents) and the posting date of its last submitted
	Delivery Note as the shipment date (None before shipment). None when the invoice is
	gone (cancelled, deleted)."""
	invoice = frappe.db.get_value(
		"Sales Invoice", {"name": deal.sales_invoice, "docstatus": 1}, ["name", "posting_date"], as_dict=True
	)
	if not invoice:
		return None
	shipped = frappe.get_all(
		"Delivery Note",
		filters={"crm_deal": deal.name, "docstatus": 1, "is_return": 0},
		pluck="posting_date",
		order_by="posting_date desc",
		limit=1,
	)
	return {
		"number": invoice.name,
		"date": invoice.posting_date,
		"invoice_number": invoice.name,
		"invoice_date": invoice.posting_date,
		"shipment_date": shipped[0] if shipped else None,
	}
