# Copyright (c) 2026, crm_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from crm_app.deals import vat
from crm_app.settings import default_uom


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
		standard_vat_rate: DF.Check
		uom: DF.Data | None
		vat_exempt: DF.Check
		vat_rate: DF.Percent
	# end: auto-generated types

	def _set_defaults(self):
		# A caller that gives a VAT rate but says nothing of the standard rate (REST, an
		# import, a script of an earlier version) means the rate as earlier versions read
		# it (crm_app.deals.vat.is_standard_in_earlier_versions).
		if self.is_new() and self.get("standard_vat_rate") is None and self.get("vat_rate") is not None:
			self.standard_vat_rate = int(vat.is_standard_in_earlier_versions(self.vat_rate))
		super()._set_defaults()

	def validate(self):
		self.item_code = (self.item_code or "").strip()
		self.uom = (self.uom or "").strip() or default_uom()
		if (self.standard_rate or 0) < 0:
			frappe.throw(_("Standard Rate cannot be negative."), title=_("Invalid Value"))
		if not 0 <= (self.vat_rate or 0) <= 100:
			frappe.throw(_("VAT Rate must be between 0 and 100."), title=_("Invalid Value"))

	def effective_vat_rate(self, day=None) -> float:
		"""The VAT rate (%) a deal line gets on `day` (today by default): 0 when exempt,
		the standard rate in force then (crm_app.deals.lines.standard_vat_rate) for a
		standard-rate item, else the item's own rate."""
		from crm_app.deals.lines import line_vat

		return line_vat(self, day)[0]
