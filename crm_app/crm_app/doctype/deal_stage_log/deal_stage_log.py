# Copyright (c) 2026, crm_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class DealStageLog(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		changed_at: DF.Datetime | None
		changed_by: DF.Link | None
		from_stage: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		reference_doctype: DF.Link | None
		reference_name: DF.DynamicLink | None
		seconds_in_previous_stage: DF.Int
		stage: DF.Data | None
	# end: auto-generated types

	def validate(self):
		"""Runs only when a row is saved on its own (REST on the child DocType, a client's
		`frappe.client.save`): the history is written by the deal's own save (pipeline.rules)."""
		refuse_direct_write()

	def on_trash(self):
		refuse_direct_write()


def on_doctype_update():
	"""The Sales Funnel reads the log by stage (reached, lost) and by deal."""
	frappe.db.add_index("Deal Stage Log", ["stage", "parent"])
	frappe.db.add_index("Deal Stage Log", ["from_stage"])


def refuse_direct_write():
	frappe.throw(
		_("The stage history is written by the CRM itself, not by hand."),
		frappe.PermissionError,
		title=_("Field Not Editable"),
	)
