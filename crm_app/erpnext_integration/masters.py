"""Client Company -> Customer, Client Contact -> Contact, Catalog Item -> Item.

Created on first need, linked both ways, kept up to date when the CRM record
changes. One Customer serves every deal of a client company.
"""

import frappe
from frappe import _

from crm_app.erpnext_integration.settings import get_accounting_settings, posting_enabled


def _linked(
	doctype: str, name: str, link_field: str, target: str, back_field: str | None = None
) -> str | None:
	"""The ERPNext record linked to a CRM record, if any: by the CRM record's link,
	else by the ERPNext record's link back (which then restores the forward link).

	The CRM record's row is locked first and every read here is a locking one (it sees what
	other transactions committed since this one began): two deals of one company invoiced at
	the same moment make one Customer, the second waiting for the first and then finding it."""
	linked = frappe.db.get_value(doctype, name, link_field, for_update=True)
	if linked and frappe.db.get_value(target, linked, "name", for_update=True):
		if not frappe.db.exists(target, linked):
			_made_at_the_same_moment(target, name)
		return linked
	found = frappe.db.get_value(target, {back_field: name}, "name", for_update=True) if back_field else None
	if found and not frappe.db.exists(target, found):
		_made_at_the_same_moment(target, name)
	if found:
		frappe.db.set_value(doctype, name, link_field, found, update_modified=False)
	return found


def _made_at_the_same_moment(target: str, name: str):
	"""The ERPNext record was created by another transaction that committed while this one
	waited for the lock: this transaction's snapshot cannot see it, and ERPNext's own reads
	of it would find nothing. A clear refusal; pressed again, the action finds it."""
	frappe.throw(
		_("{0} for {1} was created by another action at the same moment: try again.").format(_(target), name),
		frappe.TimestampMismatchError,
		title=_("Changed at the Same Moment"),
	)


def _create_linked(source, link_field: str, values: dict) -> str:
	"""Insert an ERPNext record for a CRM record and link the CRM record to it."""
	doc = frappe.get_doc(values)
	doc.flags.ignore_permissions = True
	doc.insert()
	source.db_set(link_field, doc.name, update_modified=False)
	return doc.name


def ensure_customer(client_company: str) -> str:
	found = _linked("Client Company", client_company, "erpnext_customer", "Customer", "crm_client_company")
	if found:
		return found
	company = frappe.get_doc("Client Company", client_company)
	acc = get_accounting_settings()
	return _create_linked(
		company,
		"erpnext_customer",
		{
			"doctype": "Customer",
			"customer_name": company.company_name,
			"customer_type": "Individual" if company.entity_type == "Sole Proprietor" else "Company",
			"customer_group": acc.customer_group,
			"territory": acc.territory,
			"tax_id": company.inn or None,
			"crm_client_company": company.name,
		},
	)


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
	found = _linked("Client Contact", client_contact, "erpnext_contact", "Contact")
	if found:
		return found
	person = frappe.get_doc("Client Contact", client_contact)
	return _create_linked(
		person,
		"erpnext_contact",
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
		},
	)


def ensure_uom(uom: str):
	if not frappe.db.exists("UOM", uom):
		frappe.get_doc({"doctype": "UOM", "uom_name": uom}).insert(ignore_permissions=True)


def ensure_item(catalog_item: str) -> str:
	found = _linked("Catalog Item", catalog_item, "erpnext_item", "Item", "crm_catalog_item")
	if found:
		return found
	item = frappe.get_doc("Catalog Item", catalog_item)
	if frappe.db.exists("Item", item.item_code):
		# An ERPNext item with the same code that nobody linked yet: adopt it.
		frappe.db.set_value("Item", item.item_code, "crm_catalog_item", item.name, update_modified=False)
		item.db_set("erpnext_item", item.item_code, update_modified=False)
		return item.item_code
	acc = get_accounting_settings()
	ensure_uom(item.uom)
	return _create_linked(
		item,
		"erpnext_item",
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
		},
	)


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
