# Copyright (c) 2026, crm_app contributors
# For license information, please see license.txt

from frappe.model.document import Document


class CRMVATRate(Document):
	"""The standard VAT rate in force from a date (CRM App Settings › VAT Rates;
	crm_app.deals.vat)."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		basis: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		rate: DF.Percent
		valid_from: DF.Date
	# end: auto-generated types
