# Copyright (c) 2026, crm_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from crm_app.documents import bank_statements


class BankStatementUpload(Document):
	"""A bank statement (1CClientBankExchange) whose incoming payments pay invoices
	(crm_app.documents.bank_statements)."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from crm_app.crm_app.doctype.bank_statement_upload_line.bank_statement_upload_line import (
			BankStatementUploadLine,
		)

		account: DF.Data | None
		booked_lines: DF.Int
		lines: DF.Table[BankStatementUploadLine]
		matched_lines: DF.Int
		naming_series: DF.Literal["BSU-.YYYY.-"]
		statement_file: DF.Attach
		statement_from: DF.Date | None
		statement_to: DF.Date | None
		status: DF.Literal["Not Booked", "Queued", "Booking", "Booked"]
		total_lines: DF.Int
		unmatched_lines: DF.Int
	# end: auto-generated types

	def validate(self):
		if self.flags.booking:
			return
		before = self.get_doc_before_save()
		if before and before.statement_file == self.statement_file:
			return
		if before and before.status != bank_statements.NOT_BOOKED:
			frappe.throw(
				_("The statement has been booked: upload the new file as a new Bank Statement Upload."),
				title=_("Bank Statement"),
			)
		bank_statements.read_statement(self)

	@frappe.whitelist(methods=["POST"])
	def book_payments(self) -> dict:
		"""Book the matched payments (crm_app.documents.bank_statements.book_payments):
		{"booked": n, "unmatched": n}, or {"queued": True} for a long statement."""
		return bank_statements.book_payments(self)
