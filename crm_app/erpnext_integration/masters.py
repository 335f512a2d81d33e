"""Client Company -> Customer, Client Contact -> Contact, Catalog Item -> Item.

Created on first need, linked both ways, kept up to date when the CRM record
changes. One Customer serves every deal of a client company.
"""

import frappe

from crm_app.erpnext_integration.settings import get_accounting_settings, posting_enabled


def ensure_customer(client_company: str) -> str:
	linked = frappe.db.get_value("Client Company", client_company, "erpnext_customer")
	if linked and frappe.db.exists("Customer", linked):
		return linked
	company = frappe.get_doc("Client Company", client_company)
	existing = frappe.db.get_value("Customer", {"crm_client_company": company.name}, "name")
	if existing:
		company.db_set("erpnext_customer", existing, update_modified=False)
		return existing
	acc = get_accounting_settings()
	customer = frappe.get_doc(
		{
			"doctype": "Customer",
			"customer_name": company.company_name,
			"customer_type": "Individual" if company.entity_type == "Sole Proprietor" else "Company",
			"customer_group": acc.customer_group,
			"territory": acc.territory,
			"tax_id": company.inn or None,
			"crm_client_company": company.name,
		}
	)
	customer.flags.ignore_permissions = True
	customer.insert()
	company.db_set("erpnext_customer", customer.name, update_modified=False)
	return customer.name


def update_customer(doc, method=None):
	"""doc_event on Client Company: keep its Customer's name, type and tax id in step."""
	if not posting_enabled() or not doc.get("erpnext_customer"):
		return
	if not frappe.db.exists("Customer", doc.erpnext_customer):
		return
	customer = frappe.get_doc("Customer", doc.erpnext_customer)
	customer.customer_name = doc.company_name
	customer.customer_type = "Individual" if doc.entity_type == "Sole Proprietor" else "Company"
	customer.tax_id = doc.inn or None
	customer.flags.ignore_permissions = True
	customer.save()


def ensure_contact(client_contact: str, customer: str) -> str:
	linked = frappe.db.get_value("Client Contact", client_contact, "erpnext_contact")
	if linked and frappe.db.exists("Contact", linked):
		return linked
	person = frappe.get_doc("Client Contact", client_contact)
	contact = frappe.get_doc(
		{
			"doctype": "Contact",
			"first_name": person.first_name,
			"middle_name": person.middle_name,
			"last_name": person.last_name,
			"designation": person.position,
			"email_ids": [{"email_id": person.email, "is_primary": 1}] if person.email else [],
			"phone_nos": [
				{
					"phone": number,
					"is_primary_phone": int(i == 0),
					"is_primary_mobile_no": int(number == person.mobile),
				}
				for i, number in enumerate(filter(None, (person.phone, person.mobile)))
			],
			"links": [{"link_doctype": "Customer", "link_name": customer}],
		}
	)
	contact.flags.ignore_permissions = True
	contact.insert()
	person.db_set("erpnext_contact", contact.name, update_modified=False)
	return contact.name


def ensure_uom(uom: str):
	if not frappe.db.exists("UOM", uom):
		frappe.get_doc({"doctype": "UOM", "uom_name": uom}).insert(ignore_permissions=True)


def ensure_item(catalog_item: str) -> str:
	linked = frappe.db.get_value("Catalog Item", catalog_item, "erpnext_item")
	if linked and frappe.db.exists("Item", linked):
		return linked
	item = frappe.get_doc("Catalog Item", catalog_item)
	existing = frappe.db.get_value("Item", {"crm_catalog_item": item.name}, "name")
	if not existing and frappe.db.exists("Item", item.item_code):
		# An ERPNext item with the same code that nobody linked yet: adopt it.
		frappe.db.set_value("Item", item.item_code, "crm_catalog_item", item.name, update_modified=False)
		existing = item.item_code
	if existing:
		item.db_set("erpnext_item", existing, update_modified=False)
		return existing
	acc = get_accounting_settings()
	ensure_uom(item.uom)
	erp_item = frappe.get_doc(
		{
			"doctype": "Item",
			"item_code": item.item_code,
			"item_name": item.item_name,
			"item_group": acc.item_group,
			"stock_uom": item.uom,
			"is_stock_item": int(item.item_type == "Product"),
			"include_item_in_manufacturing": 0,
			"description": item.description or item.item_name,
			"disabled": item.disabled,
			"crm_catalog_item": item.name,
		}
	)
	erp_item.flags.ignore_permissions = True
	erp_item.insert()
	item.db_set("erpnext_item", erp_item.name, update_modified=False)
	return erp_item.name


def update_item(doc, method=None):
	"""doc_event on Catalog Item: name, description and disabled follow to the Item."""
	if not posting_enabled() or not doc.get("erpnext_item") or not frappe.db.exists("Item", doc.erpnext_item):
		return
	frappe.db.set_value(
		"Item",
		doc.erpnext_item,
		{
			"item_name": doc.item_name,
			"description": doc.description or doc.item_name,
			"disabled": doc.disabled,
		},
	)
