# Copyright (c) 2026, crm_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from crm_app.settings import default_uom, default_vat_rate


class CatalogItem(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		description: DF.TextEditor | None
		disabled: DF.Check
		item_code: DF.Data
		item_name: DF.Data
		item_type: DF.Literal["Product", "Service"]
		standard_rate: DF.Currency
		uom: DF.Data | None
		vat_exempt: DF.Check
		vat_rate: DF.Percent
	# end: auto-generated types

	def validate(self):
		self.item_code = (self.item_code or "").strip()
		self.uom = (self.uom or "").strip() or default_uom()
		if (self.standard_rate or 0) < 0:
			frappe.throw(_("Standard Rate cannot be negative."), title=_("Invalid Value"))
		if not 0 <= (self.vat_rate or 0) <= 100:
			frappe.throw(_("VAT Rate must be between 0 and 100."), title=_("Invalid Value"))

	def effective_vat_rate(self) -> float:
		"""The VAT rate a deal line gets: 0 when exempt, else the item's or the default."""
		if self.vat_exempt:
			return 0
		return self.vat_rate or default_vat_rate()
