# Copyright (c) 2026, crm_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from crm_app.utils import requisites
from crm_app.utils.validation import clean_email, clean_phone, throw_invalid


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
