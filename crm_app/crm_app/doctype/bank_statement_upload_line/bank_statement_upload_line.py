# Copyright (c) 2026, crm_app contributors
# For license information, please see license.txt

from frappe.model.document import Document


class BankStatementUploadLine(Document):
	"""An incoming payment of a bank statement and what it was matched to and booked as."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		amount: DF.Currency
		booked_as: DF.Data | None
		booked_key: DF.Data | None
		deal: DF.Link | None
		invoice: DF.Data | None
		note: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		payer: DF.Data | None
		payer_inn: DF.Data | None
		payment_date: DF.Date | None
		payment_key: DF.Data | None
		payment_number: DF.Data | None
		purpose: DF.SmallText | None
		status: DF.Literal["Unmatched", "Matched", "Partly Paid", "Booked", "Booked Before"]
	# end: auto-generated types
