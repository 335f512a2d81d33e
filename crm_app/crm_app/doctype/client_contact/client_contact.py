# Copyright (c) 2026, crm_app contributors
# For license information, please see license.txt

from pypika.terms import Criterion

import frappe
from frappe import _
from frappe.model.document import Document

from crm_app.clients.contact_info import build_full_name
from crm_app.clients.contacts import phone_label, same_line
from crm_app.clients.imports import skip_creation_version
from crm_app.clients.validation import clean_email, clean_phone


class ClientContact(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		account_manager: DF.Link | None
		company: DF.Link | None
		email: DF.Data | None
		email_opt_in: DF.Check
		first_name: DF.Data
		full_name: DF.Data | None
		last_name: DF.Data | None
		middle_name: DF.Data | None
		mobile: DF.Data | None
		naming_series: DF.Literal["CNT-.#####"]
		notes: DF.Text | None
		phone: DF.Data | None
		phone_ext: DF.Data | None
		position: DF.Data | None
		sms_opt_in: DF.Check
	# end: auto-generated types

	def before_insert(self):
		skip_creation_version(self)

	def validate(self):
		self.full_name = build_full_name(self.last_name, self.first_name, self.middle_name)
		clean_phone(self, "phone", "phone_ext")
		clean_phone(self, "mobile")
		clean_email(self)
		self.warn_about_duplicates()

	def warn_about_duplicates(self):
		"""Same e-mail or phone as another contact: warn, never refuse (people share
		a switchboard number, and a person may move between client companies). A phone
		is the number with its extension: extensions 101 and 102 of one switchboard are
		two people. One query for all the values."""
		numbers = [n for n in (self.phone, self.mobile) if n]
		if not (self.email or numbers):
			return
		contact = frappe.qb.DocType("Client Contact")
		match = [contact.email == self.email] if self.email else []
		if numbers:
			match += [contact.phone.isin(numbers), contact.mobile.isin(numbers)]
		query = frappe.qb.from_(contact).select(
			contact.name, contact.email, contact.phone, contact.phone_ext, contact.mobile
		)
		if self.name:
			query = query.where(contact.name != self.name)
		others = query.where(Criterion.any(match)).orderby(contact.creation).limit(10).run(as_dict=True)
		for label, value, same in (
			(_("email"), self.email, lambda o: self.email and o.email == self.email),
			(_("phone"), phone_label(self.phone, self.phone_ext), lambda o: same_line(self, o, "phone")),
			(_("phone"), self.mobile, lambda o: same_line(self, o, "mobile")),
		):
			existing = next((o.name for o in others if same(o)), None)
			if existing:
				frappe.msgprint(
					_("Client Contact {0} has the same {1} {2}.").format(
						frappe.utils.get_link_to_form("Client Contact", existing), label, value
					),
					title=_("Possible Duplicate"),
					indicator="orange",
				)
				return
