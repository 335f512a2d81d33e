# Copyright (c) 2026, crm_app contributors
# For license information, please see license.txt

from frappe.model.document import Document


class DealItem(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		amount: DF.Currency
		catalog_item: DF.Link
		description: DF.SmallText | None
		discount_percent: DF.Percent
		item_name: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		qty: DF.Float
		rate: DF.Currency
		standard_vat_rate: DF.Check
		uom: DF.Data | None
		vat_amount: DF.Currency
		vat_exempt: DF.Check
		vat_rate: DF.Percent
	# end: auto-generated types

	pass
