"""Requests by e-mail. An incoming Email Account whose "Append To" is Deal hands each
new thread to Frappe's receiver, which creates a Deal with only the subject (title),
the sender's address (contact_email) and name (sender_name) set. Here such a deal
gets its client base: the contact with that address (and the contact's company), or
a new company and contact named after the sender.

Threading (`thread_received_mail`): Frappe puts a received mail on the deal it finds by
In-Reply-To, by a deal name written in the subject ("(#DEAL-2026-00042)"), or by a subject
that contains the mail's (`LIKE %subject%`) from the same sender. Only two of those are
kept: a real reply (its In-Reply-To names a message on that deal) and the same normalised
subject from the deal's contact or a contact of the deal's company. Anything else opens a
new request, as a first mail does."""

import re

import frappe
from frappe.utils import add_days, now_datetime

from crm_app.clients.contact_info import ContactInfoError, normalize_email
from crm_app.clients.contacts import find_contact_by_email
from crm_app.documents.requests import find_or_create_company, find_or_create_contact

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
	thread = find_thread(email, deal.title)
	if thread:
		# Frappe's receiver found no deal for this mail, but it continues one: it goes there
		# (`thread_received_mail`), and no deal is made. The receiver takes a DuplicateEntryError
		# from the insert as "the record exists".
		frappe.flags.crm_mail_thread = (email, thread)
		raise frappe.DuplicateEntryError("Deal", thread)
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


REPLY_PREFIX = re.compile(r"^\s*((re|fwd?|aw|wg|sv|ответ|отв|пересл)(\[\d+\])?\s*:\s*)+", re.IGNORECASE)
NAME_IN_SUBJECT = re.compile(r"\(#[^()]*\)\s*$")


def normalize_subject(subject: str | None) -> str:
	"""A subject without reply / forward prefixes (Re:, Fwd:, AW:, Ответ: …), without a
	trailing "(#NAME)" and with white space folded, lower case."""
	text = NAME_IN_SUBJECT.sub("", subject or "")
	text = REPLY_PREFIX.sub("", text)
	return " ".join(text.split()).lower()


def thread_received_mail(communication, method=None):
	"""doc_event on Communication (before_insert): a mail Frappe's receiver puts on a deal
	stays there only if it is a real reply to a message of that deal, or has the deal's
	normalised subject (its title, or the subject of a message on it) and comes from the
	deal's contact or a contact of its company. Otherwise it opens a new deal (a new
	request, assigned like any other) and goes there."""
	if not (communication.flags.in_receive and communication.sent_or_received == "Received"):
		return
	thread = frappe.flags.pop("crm_mail_thread", None)
	if thread and thread[0] == _address(communication.sender):
		communication.reference_doctype, communication.reference_name = "Deal", thread[1]
		return
	if communication.reference_doctype != "Deal" or not communication.reference_name:
		return
	deal = communication.reference_name
	if is_reply_on(deal, communication.in_reply_to) or same_thread(deal, communication):
		return
	communication.reference_name = new_request(communication)


def find_thread(email: str, subject: str | None) -> str | None:
	"""The newest deal of the last 60 days (Frappe's own window) that a mail from `email`
	with `subject` continues: the deal's contact or a contact of its company wrote it, and
	the normalised subject is the deal's title or the subject of one of its messages."""
	wanted = normalize_subject(subject)
	if not email or not wanted:
		return None
	companies = frappe.get_all("Client Contact", filters={"email": email}, pluck="company")
	since = add_days(now_datetime(), -60)
	deals = frappe.get_all(
		"Deal",
		filters={"creation": (">", since), "client_company": ("in", [c for c in companies if c] or [""])},
		fields=["name", "title"],
		order_by="creation desc",
		limit=50,
	) + frappe.get_all(
		"Deal",
		filters={"creation": (">", since), "contact_email": email},
		fields=["name", "title"],
		order_by="creation desc",
		limit=50,
	)
	for deal in deals:
		if normalize_subject(deal.title) == wanted:
			return deal.name
	names = [d.name for d in deals]
	if not names:
		return None
	for message in frappe.get_all(
		"Communication",
		filters={"reference_doctype": "Deal", "reference_name": ("in", names)},
		fields=["reference_name", "subject"],
		order_by="creation desc",
	):
		if normalize_subject(message.subject) == wanted:
			return message.reference_name
	return None


def is_reply_on(deal: str, parent: str | None) -> bool:
	"""Is `parent` (the Communication the mail's In-Reply-To names, as Frappe resolved it)
	a message of `deal`?"""
	if not parent:
		return False
	return frappe.db.get_value("Communication", parent, ["reference_doctype", "reference_name"]) == (
		"Deal",
		deal,
	)


def same_thread(deal: str, communication) -> bool:
	"""The same normalised subject as the deal's title or one of its messages, from an
	address of the deal's contact or of a contact of its company."""
	values = frappe.db.get_value("Deal", deal, ["title", "contact_email", "client_company"], as_dict=True)
	if not values:
		return False
	sender = _address(communication.sender)
	senders = {_address(values.contact_email)}
	if values.client_company:
		senders |= {
			_address(e)
			for e in frappe.get_all(
				"Client Contact", filters={"company": values.client_company}, pluck="email"
			)
			if e
		}
	if not sender or sender not in senders:
		return False
	subject = normalize_subject(communication.subject)
	if not subject:
		return False
	subjects = {normalize_subject(values.title)}
	subjects |= {
		normalize_subject(s)
		for s in frappe.get_all(
			"Communication",
			filters={
				"reference_doctype": "Deal",
				"reference_name": deal,
				"communication_type": ("!=", "Comment"),
			},
			pluck="subject",
		)
	}
	return subject in subjects or normalize_subject((communication.subject or "")[:140]) in subjects


def _address(value: str | None) -> str:
	try:
		return normalize_email(value)
	except ContactInfoError:
		return ""


def new_request(communication) -> str:
	"""A new deal for a mail that belongs to no deal, made as Frappe's receiver makes one
	(title from the subject, sender's address and name; `open_deal_from_mail` gives it its
	client base)."""
	deal = frappe.new_doc("Deal")
	deal.title = (communication.subject or "")[:140]
	deal.contact_email = communication.sender
	deal.sender_name = communication.sender_full_name
	deal.flags.ignore_mandatory = True
	deal.insert(ignore_permissions=True)
	return deal.name
