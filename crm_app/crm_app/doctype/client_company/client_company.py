# Copyright (c) 2026, crm_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from crm_app.clients.imports import skip_creation_version
from crm_app.clients.registry import lookup as company_registry
from crm_app.clients.requisites import requisites_key
from crm_app.clients.validation import clean_email, clean_phone, clean_requisites


class ClientCompany(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		account_manager: DF.Link | None
		address: DF.SmallText | None
		company_name: DF.Data
		country: DF.Link | None
		director: DF.Data | None
		edo_id: DF.Data | None
		email: DF.Data | None
		entity_type: DF.Literal["Legal Entity", "Sole Proprietor"]
		industry: DF.Data | None
		inn: DF.Data | None
		kpp: DF.Data | None
		naming_series: DF.Literal["CLC-.#####"]
		notes: DF.Text | None
		ogrn: DF.Data | None
		phone: DF.Data | None
		phone_ext: DF.Data | None
		registry_checked_on: DF.Datetime | None
		requisites_key: DF.Data | None
		registry_status: DF.Literal[
			"", "Active", "Liquidating", "Liquidated", "Bankrupt", "Reorganizing", "Unknown"
		]
		website: DF.Data | None
	# end: auto-generated types

	def onload(self):
		self.set_onload("company_status_alert", company_registry.status_banner(self.registry_status))

	def before_insert(self):
		skip_creation_version(self)

	def validate(self):
		self.company_name = (self.company_name or "").strip()
		clean_requisites(self, self.entity_type, {"inn": "inn", "kpp": "kpp", "ogrn": "ogrn"})
		clean_phone(self, "phone", "phone_ext")
		clean_email(self)
		company_registry.keep_register_fields(self)
		self.validate_duplicate_inn()
		self.set_requisites_key()

	@frappe.whitelist(methods=["POST"])
	def fill_from_registry(self) -> list[str]:
		"""Fill the empty fields and the register status from the state register by the
		INN (and KPP); saves a saved company. Needs write permission. Returns the labels
		of the fields filled. See crm_app.clients.registry.lookup."""
		return company_registry.fill_from_registry(self)

	def set_requisites_key(self):
		"""INN/KPP in a column with a unique index: two saves of the same INN and KPP (or of
		the same INN without a KPP) at the same moment cannot both pass the check above
		(the database refuses the second, `show_unique_validation_message`). A record
		left as a duplicate by an older version keeps no key (`patches.v0_5`)."""
		key = requisites_key(self.inn, self.kpp)
		if not self.is_new() and key and not self.requisites_key:
			holder = frappe.db.get_value("Client Company", {"requisites_key": key}, "name")
			if holder and holder != self.name:
				key = None
		self.requisites_key = key

	def show_unique_validation_message(self, e):
		"""The database refused a second record of the same INN and KPP, saved at the same
		moment as this one: the duplicate message, as the check gives it."""
		frappe.throw(
			_("Client Company with INN {0}{1} was saved by someone else at the same moment.").format(
				self.inn, _(" and KPP {0}").format(self.kpp) if self.kpp else ""
			),
			exc=frappe.DuplicateEntryError,
			title=_("Duplicate Client Company"),
		)

	def validate_duplicate_inn(self):
		"""One record per INN, except branches: same INN with different KPPs."""
		if not self.inn:
			return
		for other in frappe.get_all(
			"Client Company",
			filters={"inn": self.inn, "name": ("!=", self.name)},
			fields=["name", "company_name", "kpp"],
			order_by="creation asc",
		):
			if self.kpp and other.kpp and self.kpp != other.kpp:
				continue
			frappe.throw(
				_("Client Company {0} ({1}) already has INN {2}{3}.").format(
					frappe.bold(other.name),
					other.company_name,
					self.inn,
					_(" and KPP {0}").format(other.kpp) if other.kpp else "",
				),
				exc=frappe.DuplicateEntryError,
				title=_("Duplicate Client Company"),
			)
