"""Requests from the web form "Client Request": the client base is searched first
(the company by INN, the person by e-mail or phone), then a deal is opened at the
first stage with source "Web Form". A company created from an INN gets its card from the
state register when the register is on (clients.registry.lookup)."""

import frappe
from frappe import _

from crm_app.clients.contacts import (
	find_contact_by_email,
	find_contact_by_phone,
)
from crm_app.clients.registry import lookup as company_registry
from crm_app.clients.requisites import LEGAL_ENTITY, SOLE_PROPRIETOR
from crm_app.pipeline.events import all_or_nothing


def find_or_create_company(request) -> str:
	if request.inn:
		found = frappe.get_all(
			"Client Company", filters={"inn": request.inn}, pluck="name", order_by="creation asc", limit=1
		)
		if found:
			return found[0]
	values = {
		"doctype": "Client Company",
		"company_name": request.company_name,
		"entity_type": SOLE_PROPRIETOR if len(request.inn or "") == 12 else LEGAL_ENTITY,
		"inn": request.inn,
		"email": request.email,
		"phone": request.phone,
		"phone_ext": request.phone_ext,
	}
	# the register's card fills what the request left empty (when the register is on; a
	# failure there never blocks the request)
	from_registry = company_registry.registry_values(request.inn, values)
	values.update(from_registry)
	values["company_name"] = values["company_name"] or request.full_name
	company = frappe.get_doc(values)
	company.flags.from_registry = bool(from_registry)
	try:
		with all_or_nothing("crm_request_company"):
			company.insert(ignore_permissions=True)
	except frappe.DuplicateEntryError:
		# another request of the same INN created it at the same moment: that one is it
		found = frappe.db.sql(
			"select name from `tabClient Company` where inn = %s order by creation limit 1 lock in share mode",
			request.inn,
		)
		if not found:
			raise
		return found[0][0]
	return company.name


def find_or_create_contact(request, company: str) -> str:
	for found in (
		request.email and find_contact_by_email(request.email),
		request.phone and find_contact_by_phone(request.phone, request.phone_ext),
	):
		if found:
			owner = frappe.db.get_value("Client Contact", found, "company")
			if not owner:
				frappe.db.set_value("Client Contact", found, "company", company)
			if owner in (None, "", company):
				return found
	contact = frappe.get_doc(
		{
			"doctype": "Client Contact",
			"first_name": request.full_name,
			"company": company,
			"email": request.email,
			"phone": request.phone,
			"phone_ext": request.phone_ext,
		}
	)
	contact.insert(ignore_permissions=True)
	return contact.name


def open_deal(request, method=None):
	"""doc_event on Client Request (after_insert). A repeated request (the same one sent
	again, `ClientRequest.show_unique_validation_message`) opens nothing new."""
	if not request.flags.repeated_request:
		create_deal(request)


def create_deal(request):
	company = find_or_create_company(request)
	contact = find_or_create_contact(request, company)
	notes = "\n\n".join(filter(None, (request.message, request.items_of_interest)))
	deal = frappe.get_doc(
		{
			"doctype": "Deal",
			"client_company": company,
			"contact": contact,
			"source": "Web Form",
			"title": _("Request from {0}").format(request.company_name or request.full_name),
			"notes": notes,
		}
	)
	deal.flags.from_web_form = True
	deal.insert(ignore_permissions=True)
	request.db_set({"deal": deal.name, "client_company": company, "client_contact": contact})
	return deal.name
