"""Bank statement payments booked in ERPNext (crm_app.documents.bank_statements): a Bank
Transaction on the company's Bank Account of the settlement account and a Payment Entry
against the Sales Invoice, reconciled with each other through ERPNext's Bank
Reconciliation Tool; the ledger's voucher hooks (erpnext_integration.ledger) then move
the deal."""

import json

import frappe
from frappe import _
from frappe.utils import flt

from crm_app.clients.companies import inns as client_inns
from crm_app.erpnext_integration.deal_stage import as_administrator
from crm_app.erpnext_integration.settings import get_accounting_settings


def company_accounts() -> dict[str, str]:
	"""{settlement account number: Bank Account} of the CRM's ERPNext company."""
	company = frappe.db.get_single_value("CRM App Settings", "erpnext_company")
	rows = frappe.get_all(
		"Bank Account",
		filters={"is_company_account": 1, "company": company, "disabled": 0},
		fields=["name", "bank_account_no"],
	)
	return {r.bank_account_no.strip(): r.name for r in rows if r.bank_account_no}


def invoices_named(numbers: list[str]) -> list[dict]:
	"""The deals' submitted Sales Invoices with something outstanding among `numbers`:
	[{deal, invoice, outstanding, inn}]."""
	deals = frappe.get_all(
		"Deal",
		filters={"sales_invoice": ("in", numbers)},
		fields=["name", "sales_invoice", "client_company"],
	)
	if not deals:
		return []
	invoices = {
		r.name: r
		for r in frappe.get_all(
			"Sales Invoice",
			filters={"name": ("in", [d.sales_invoice for d in deals]), "docstatus": 1},
			fields=["name", "outstanding_amount"],
		)
	}
	inns = client_inns(d.client_company for d in deals)
	return [
		{
			"deal": d.name,
			"invoice": d.sales_invoice,
			"outstanding": flt(invoices[d.sales_invoice].outstanding_amount),
			"inn": inns.get(d.client_company),
		}
		for d in deals
		if d.sales_invoice in invoices and flt(invoices[d.sales_invoice].outstanding_amount) > 0
	]


def book(row, account: str, upload: str) -> str:
	"""Book one statement line: returns the Payment Entry's name. The entries are the
	booking user's own; ERPNext's mapping runs with the rights the transition needs (see
	deal_stage.as_administrator)."""
	bank_account = company_accounts().get(account)
	if not bank_account:
		frappe.throw(
			_("No Bank Account of the company has the settlement account {0}.").format(account),
			title=_("Bank Statement"),
		)
	gl_account = frappe.db.get_value("Bank Account", bank_account, "account")
	if not gl_account:
		frappe.throw(
			_("Bank Account {0} has no ledger account.").format(frappe.bold(bank_account)),
			title=_("Bank Statement"),
		)
	acc = get_accounting_settings()
	user = frappe.session.user

	def post():
		from erpnext.accounts.doctype.bank_reconciliation_tool.bank_reconciliation_tool import (
			reconcile_vouchers,
		)
		from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

		payment = get_payment_entry("Sales Invoice", row.invoice, flt(row.amount), bank_account=gl_account)
		payment.posting_date = row.payment_date
		payment.reference_no = row.payment_number
		payment.reference_date = row.payment_date
		payment.bank_account = bank_account
		payment.crm_deal = row.deal
		payment.remarks = row.purpose
		payment.flags.ignore_permissions = True
		payment.submit()
		transaction = frappe.get_doc(
			{
				"doctype": "Bank Transaction",
				"date": row.payment_date,
				"company": acc.company,
				"bank_account": bank_account,
				"deposit": flt(row.amount),
				"currency": payment.paid_to_account_currency,
				"description": row.purpose,
				"reference_number": row.payment_number,
				"transaction_id": row.payment_key,
				"party_type": "Customer",
				"party": payment.party,
			}
		)
		transaction.flags.ignore_permissions = True
		transaction.insert()
		transaction.submit()
		reconcile_vouchers(
			transaction.name,
			json.dumps(
				[
					{
						"payment_doctype": "Payment Entry",
						"payment_name": payment.name,
						"amount": flt(row.amount),
					}
				]
			),
		)
		return payment.name, transaction.name

	payment, transaction = as_administrator(post)
	for doctype, name in (("Payment Entry", payment), ("Bank Transaction", transaction)):
		frappe.db.set_value(doctype, name, {"owner": user, "modified_by": user}, update_modified=False)
	return payment
