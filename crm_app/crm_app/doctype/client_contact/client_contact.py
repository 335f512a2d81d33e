# Copyright (c) 2026, crm_app contributors
# For license information, please see license.txt

from pypika.terms import Criterion

import frappe
from frappe import _
from frappe.model.document import Document

from crm_app.utils.contact_info import build_full_name
from crm_app.utils.imports import skip_creation_version
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

	def before_insert(self):
		skip_creation_version(self)

	def validate(self):
		self.full_name = build_full_name(self.last_name, self.first_name, self.middle_name)
		clean_phones(self, "phone", "mobile")
		clean_email(self)
		self.warn_about_duplicates()

	def warn_about_duplicates(self):
		"""Same e-mail or phone as another contact: warn, never refuse (people share
		a switchboard number, and a person may move between client companies).
		One query for all three values."""
		checks = [
			(_("email"), self.email, ("email",)),
			(_("phone"), self.phone, PHONE_FIELDS),
			(_("phone"), self.mobile, PHONE_FIELDS),
		]
		checks = [check for check in checks if check[1]]
		if not checks:
			return
		contact = frappe.qb.DocType("Client Contact")
		match = Criterion.any([contact[f] == value for _label, value, fields in checks for f in fields])
		query = frappe.qb.from_(contact).select(contact.name, contact.email, contact.phone, contact.mobile)
		if self.name:
			query = query.where(contact.name != self.name)
		others = query.where(match).orderby(contact.creation).limit(10).run(as_dict=True)
		for label, value, fields in checks:
			existing = next((o.name for o in others if any(o.get(f) == value for f in fields)), None)
			if existing:
				frappe.msgprint(
					_("Client Contact {0} has the same {1} {2}.").format(
						frappe.utils.get_link_to_form("Client Contact", existing), label, value
					),
					title=_("Possible Duplicate"),
					indicator="orange",
				)
				return


PHONE_FIELDS = ("phone", "mobile")


def find_contact_by(value: str, fields: tuple[str, ...], exclude: str | None = None) -> str | None:
	"""Name of the oldest contact having `value` in any of `fields` (normalised values)."""
	found = frappe.get_all(
		"Client Contact",
		filters={"name": ("!=", exclude)} if exclude else {},
		or_filters={fieldname: value for fieldname in fields},
		pluck="name",
		order_by="creation asc",
		limit=1,
	)
	return found[0] if found else None
