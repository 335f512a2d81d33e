# Copyright (c) 2026, crm_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class DealLostReason(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		description: DF.SmallText | None
		disabled: DF.Check
		reason_name: DF.Data
	# end: auto-generated types

	pass
