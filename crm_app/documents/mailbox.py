"""Requests by e-mail. An incoming Email Account whose "Append To" is Deal hands each
new thread to Frappe's receiver, which creates a Deal with only the subject (title),
the sender's address (contact_email) and name (sender_name) set. Here such a deal
gets its client base: the contact with that address (and the contact's company), or
a new company and contact named after the sender. Replies are threaded by Frappe
(In-Reply-To, or the subject and sender) into the same deal's timeline."""

import frappe

from crm_app.crm_app.doctype.client_contact.client_contact import find_contact_by_email
from crm_app.documents.requests import find_or_create_company, find_or_create_contact
from crm_app.utils.contact_info import normalize_email

SOURCE = "Email"


def is_mail_request(deal) -> bool:
	"""A new deal created by Frappe's mail receiver: it carries a sender address and
	nothing of the client base (the receiver inserts with ignore_mandatory)."""
	return bool(
		deal.is_new()
		and deal.flags.ignore_mandatory
		and deal.contact_email
		and not deal.client_company
		and not deal.contact
	)


def open_deal_from_mail(deal, method=None):
	"""doc_event on Deal (before_insert): a deal from the mailbox gets its client base."""
	if not is_mail_request(deal):
		return
	email = normalize_email(deal.contact_email)
	name = (deal.sender_name or "").strip() or email.split("@", 1)[0]
	contact = find_contact_by_email(email)
	company = frappe.db.get_value("Client Contact", contact, "company") if contact else None
	if not company:
		request = frappe._dict(
			full_name=name, email=email, phone=None, phone_ext=None, inn=None, company_name=None
		)
		company = find_or_create_company(request)
		contact = find_or_create_contact(request, company)
	deal.client_company = company
	deal.contact = contact
	deal.source = deal.source or SOURCE
	deal.flags.from_mailbox = True
	# Frappe fetched the contact's fields before this hook, when there was no contact yet
	fetched = {
		df.fieldname: df.fetch_from.split(".", 1)[1] for df in deal.meta.get_fields_to_fetch("contact")
	}
	values = frappe.db.get_value("Client Contact", contact, list(fetched.values()), as_dict=True)
	for fieldname, source in fetched.items():
		deal.set(fieldname, values[source])
