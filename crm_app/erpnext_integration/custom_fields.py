"""Fields crm_app adds to ERPNext DocTypes, and ERPNext fields on its own DocTypes.

All are built from `get_custom_fields()`, created when crm_app is installed on a
site with ERPNext (or when ERPNext is installed later, and on every migrate, so
new fields reach existing sites) and removed on uninstall.
"""

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

MODULE = "CRM App"


def _link(fieldname, label, options, insert_after, **extra):
	return {
		"fieldname": fieldname,
		"label": label,
		"fieldtype": "Link",
		"options": options,
		"insert_after": insert_after,
		"read_only": 1,
		"no_copy": 1,
		"module": MODULE,
		**extra,
	}


# The CRM's records that link their ERPNext twin, which links them back (masters.py); a
# twin cannot be deleted while the other links it, so a removal unlinks these first
LINKED_BOTH_WAYS = {
	"Client Company": "erpnext_customer",
	"Client Contact": "erpnext_contact",
	"Catalog Item": "erpnext_item",
	"Deal": "sales_invoice",
}


def get_custom_fields() -> dict[str, list[dict]]:
	settings_fields = [
		{"fieldname": "erpnext_section", "label": "ERPNext", "fieldtype": "Section Break", "insert_after": "seller_chief_accountant", "collapsible": 0},
		{"fieldname": "erpnext_enabled", "label": "Post Deals to ERPNext", "fieldtype": "Check", "insert_after": "erpnext_section", "description": "Issue Invoice, Confirm Payment and Ship Goods create the Sales Invoice, Payment Entry and Delivery Note"},
		{"fieldname": "erpnext_company", "label": "Company", "fieldtype": "Link", "options": "Company", "insert_after": "erpnext_enabled", "mandatory_depends_on": "erpnext_enabled"},
		{"fieldname": "submit_invoices", "label": "Submit Invoices", "fieldtype": "Check", "default": "1", "insert_after": "erpnext_company"},
		{"fieldname": "payment_due_days", "label": "Payment Due (Days)", "fieldtype": "Int", "default": "10", "insert_after": "submit_invoices", "non_negative": 1},
		{"fieldname": "mode_of_payment", "label": "Mode of Payment", "fieldtype": "Link", "options": "Mode of Payment", "insert_after": "payment_due_days"},
		{"fieldname": "erpnext_column", "fieldtype": "Column Break", "insert_after": "mode_of_payment"},
		{"fieldname": "customer_group", "label": "Customer Group", "fieldtype": "Link", "options": "Customer Group", "insert_after": "erpnext_column"},
		{"fieldname": "territory", "label": "Territory", "fieldtype": "Link", "options": "Territory", "insert_after": "customer_group"},
		{"fieldname": "item_group", "label": "Item Group", "fieldtype": "Link", "options": "Item Group", "insert_after": "territory"},
		{"fieldname": "income_account", "label": "Income Account", "fieldtype": "Link", "options": "Account", "insert_after": "item_group"},
		{"fieldname": "cost_center", "label": "Cost Center", "fieldtype": "Link", "options": "Cost Center", "insert_after": "income_account"},
		{"fieldname": "vat_account", "label": "VAT Account", "fieldtype": "Link", "options": "Account", "insert_after": "cost_center", "description": "Needed only for lines with VAT"},
		{"fieldname": "warehouse", "label": "Warehouse", "fieldtype": "Link", "options": "Warehouse", "insert_after": "vat_account"},
	]  # fmt: skip
	for field in settings_fields:
		field["module"] = MODULE
		if "description" not in field and field["fieldtype"] == "Link":
			field["description"] = "Empty: the company's default"
	return {
		"CRM App Settings": settings_fields,
		"Client Company": [_link("erpnext_customer", "ERPNext Customer", "Customer", "account_manager")],
		"Client Contact": [_link("erpnext_contact", "ERPNext Contact", "Contact", "account_manager")],
		"Catalog Item": [_link("erpnext_item", "ERPNext Item", "Item", "vat_exempt")],
		"Deal": [_link("sales_invoice", "Sales Invoice", "Sales Invoice", "grand_total")],
		"Customer": [_link("crm_client_company", "CRM Client Company", "Client Company", "customer_group")],
		"Item": [_link("crm_catalog_item", "CRM Catalog Item", "Catalog Item", "item_group")],
		"Sales Invoice": [_link("crm_deal", "CRM Deal", "Deal", "customer_name", no_copy=0)],
		"Delivery Note": [_link("crm_deal", "CRM Deal", "Deal", "customer_name")],
		"Payment Entry": [_link("crm_deal", "CRM Deal", "Deal", "party_name")],
	}


def make_custom_fields():
	create_custom_fields(get_custom_fields(), ignore_validate=True, update=True)
	frappe.clear_cache()


def delete_custom_fields():
	for doctype, fields in get_custom_fields().items():
		names = [f["fieldname"] for f in fields]
		for name in frappe.get_all(
			"Custom Field", filters={"dt": doctype, "fieldname": ("in", names)}, pluck="name"
		):
			frappe.delete_doc("Custom Field", name, ignore_permissions=True, force=True)
		frappe.clear_cache(doctype=doctype)
