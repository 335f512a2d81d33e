# Copyright (c) 2026, crm_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class DealStageProbability(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		measured_deals: DF.Int
		measured_probability: DF.Percent
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		probability: DF.Percent
		stage: DF.Data
	# end: auto-generated types

	pass
