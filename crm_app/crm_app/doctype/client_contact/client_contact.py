# Copyright (c) 2026, crm_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from crm_app.utils.contact_info import build_full_name
from crm_app.utils.validation import clean_email, clean_phones


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
		position: DF.Data | None
		sms_opt_in: DF.Check
	# end: auto-generated types

	def validate(self):
		self.full_name = build_full_name(self.last_name, self.first_name, self.middle_name)
		clean_phones(self, "phone", "mobile")
		clean_email(self)
		self.warn_about_duplicates()

	def warn_about_duplicates(self):
		"""Same e-mail or phone as another contact: warn, never refuse (people share
		a switchboard number, and a person may move between client companies)."""
		for label, value, fields in (
			(_("email"), self.email, ("email",)),
			(_("phone"), self.phone, ("phone", "mobile")),
			(_("phone"), self.mobile, ("phone", "mobile")),
		):
			if not value:
				continue
			existing = find_contact_by(value, fields, exclude=self.name)
			if existing:
				frappe.msgprint(
					_("Client Contact {0} has the same {1} {2}.").format(
						frappe.utils.get_link_to_form("Client Contact", existing), label, value
					),
					title=_("Possible Duplicate"),
					indicator="orange",
				)
				return


def find_contact_by(value: str, fields: tuple[str, ...], exclude: str | None = None) -> str | None:
	"""Name of the oldest contact having `value` in any of `fields` (normalised values)."""
	for fieldname in fields:
		filters = {fieldname: value}
		if exclude:
			filters["name"] = ("!=", exclude)
		found = frappe.get_all(
			"Client Contact", filters=filters, pluck="name", order_by="creation asc", limit=1
		)
		if found:
			return found[0]
	return None
