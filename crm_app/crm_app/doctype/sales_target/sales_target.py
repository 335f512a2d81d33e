# Copyright (c) 2026, crm_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class SalesTarget(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		currency: DF.Link
		from_date: DF.Date
		responsible: DF.Link
		target_amount: DF.Currency
		to_date: DF.Date
	# end: auto-generated types

	def before_validate(self):
		from crm_app.settings import default_currency

		self.currency = self.currency or default_currency()

	def validate(self):
		if (self.target_amount or 0) <= 0:
			frappe.throw(_("Target Amount must be greater than zero."), title=_("Invalid Target"))
		if self.from_date and self.to_date and str(self.from_date) > str(self.to_date):
			frappe.throw(_("From Date cannot be after To Date."), title=_("Invalid Period"))
		self.validate_overlap()

	def validate_overlap(self):
		"""One target per person and currency for any day."""
		overlapping = frappe.get_all(
			"Sales Target",
			filters={
				"name": ("!=", self.name or ""),
				"responsible": self.responsible,
				"currency": self.currency,
				"from_date": ("<=", self.to_date),
				"to_date": (">=", self.from_date),
			},
			fields=["name", "from_date", "to_date"],
			limit=1,
		)
		if overlapping:
			other = overlapping[0]
			frappe.throw(
				_(
					"{0} already has a target in {1} for {2} to {3} ({4}): periods of one person and currency cannot overlap."
				).format(
					frappe.bold(self.responsible),
					self.currency,
					frappe.format(other.from_date, "Date"),
					frappe.format(other.to_date, "Date"),
					frappe.utils.get_link_to_form("Sales Target", other.name),
				),
				title=_("Overlapping Target"),
			)
