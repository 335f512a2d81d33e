# Copyright (c) 2026, crm_app contributors
# For license information, please see license.txt

import hashlib

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cstr, nowdate

from crm_app.clients import requisites
from crm_app.clients.validation import clean_email, clean_phone, throw_invalid


class ClientRequest(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		client_company: DF.Link | None
		client_contact: DF.Link | None
		company_name: DF.Data | None
		deal: DF.Link | None
		email: DF.Data | None
		full_name: DF.Data
		inn: DF.Data | None
		items_of_interest: DF.SmallText | None
		message: DF.Text | None
		phone: DF.Data | None
		phone_ext: DF.Data | None
		request_key: DF.Data | None
	# end: auto-generated types

	def validate(self):
		if self.is_new():
			# set only by the app, never by whoever fills the form
			self.deal = self.client_company = self.client_contact = None
		self.full_name = (self.full_name or "").strip()
		clean_email(self)
		clean_phone(self, "phone", "phone_ext")
		if not (self.email or self.phone):
			frappe.throw(_("Leave an e-mail address or a phone number so that we can answer."))
		if requisites.compact(self.inn):
			entity = (
				requisites.SOLE_PROPRIETOR
				if len(requisites.compact(self.inn)) == 12
				else requisites.LEGAL_ENTITY
			)
			try:
				self.inn = requisites.validate_inn(self.inn, entity)
			except requisites.RequisiteError as e:
				throw_invalid(e, _("Invalid Requisites"))
		if self.is_new():
			self.request_key = request_key(self)

	def show_unique_validation_message(self, e):
		"""The same request was sent again (a double click, a resent form): it is the
		request already received, and opens nothing new. The database's unique key on
		`request_key` decides, so two sends at the same moment make one request."""
		# a locking read: it sees the request another transaction has just committed, which
		# this transaction's snapshot does not
		existing = frappe.db.sql(
			"""select name, deal, client_company, client_contact from `tabClient Request`
			where request_key = %s lock in share mode""",
			self.request_key,
			as_dict=True,
		)
		if not existing:
			raise e
		self.flags.repeated_request = True
		self.update(existing[0])


RESULT_FIELDS = ("deal", "client_company", "client_contact")
KEY_FIELDS = (
	"full_name",
	"company_name",
	"inn",
	"email",
	"phone",
	"phone_ext",
	"message",
	"items_of_interest",
)


def request_key(request) -> str:
	"""What makes a request the same request: its cleaned fields and the day it is sent
	(SHA-256, hex). The same person sending the same words again the same day is a repeat."""
	text = "\x1f".join([nowdate(), *(cstr(request.get(f)).strip().lower() for f in KEY_FIELDS)])
	return hashlib.sha256(text.encode()).hexdigest()
