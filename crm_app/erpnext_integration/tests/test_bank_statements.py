"""Bank statements booked in ERPNext: a Bank Transaction and a Payment Entry reconciled
with it and the invoice for each matched payment; a full payment moves the deal to
Invoice Paid through the ledger's hooks, a partial one reduces the invoice's outstanding
and leaves the deal at Invoice Issued, an unknown payer stays unmatched, and the same
statement uploaded again books nothing."""

import frappe
from frappe.utils import flt, getdate

from crm_app.documents import bank_exchange as bx
from crm_app.erpnext_integration.tests.test_accounting import AccountingTestCase
from crm_app.tests.test_bank_statements import upload
from crm_app.tests.utils import make_company, random_inn

ACCOUNT = "40702810938000000001"


def ensure_bank_account(company: str, abbr: str) -> str:
	"""The company's Bank Account of the settlement account, on a ledger account of type
	Bank."""
	if name := frappe.db.get_value("Bank Account", {"bank_account_no": ACCOUNT, "company": company}):
		return name
	if not frappe.db.exists("Bank", "CRM Test Bank"):
		frappe.get_doc({"doctype": "Bank", "bank_name": "CRM Test Bank"}).insert(ignore_permissions=True)
	gl = frappe.db.get_value("Account", {"company": company, "account_type": "Bank", "is_group": 0})
	if not gl:
		parent = frappe.db.get_value("Account", {"company": company, "account_name": "Bank Accounts"})
		gl = (
			frappe.get_doc(
				{
					"doctype": "Account",
					"account_name": "CRM Settlement",
					"parent_account": parent,
					"company": company,
					"account_type": "Bank",
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
	return (
		frappe.get_doc(
			{
				"doctype": "Bank Account",
				"account_name": "CRM Settlement",
				"bank": "CRM Test Bank",
				"account": gl,
				"company": company,
				"is_company_account": 1,
				"bank_account_no": ACCOUNT,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


class TestBankStatementsInErpnext(AccountingTestCase):
	def setUp(self):
		self.bank_account = ensure_bank_account(self.company, self.abbr)

	def tearDown(self):
		super().tearDown()
		frappe.db.rollback()

	def invoiced(self, company, rate: float):
		deal = self.new_deal(
			[{"catalog_item": self.service, "qty": 1, "rate": rate}], client_company=company.name
		)
		return self.to_invoice(deal.name)

	def test_full_partial_unknown_and_again(self):
		buyer, other = make_company(), make_company()
		full, partial = self.invoiced(buyer, 100), self.invoiced(other, 300)
		full_total = flt(frappe.db.get_value("Sales Invoice", full.sales_invoice, "grand_total"))
		partial_total = flt(frappe.db.get_value("Sales Invoice", partial.sales_invoice, "grand_total"))
		day = getdate()
		payments = [
			{"number": "501", "date": day, "amount": full_total, "payer_inn": buyer.inn,
			 "purpose": f"Оплата по счёту № {full.sales_invoice} от {day:%d.%m.%Y}"},
			{"number": "502", "date": day, "amount": 100, "payer_inn": other.inn,
			 "purpose": f"Частичная оплата по счёту {partial.sales_invoice}"},
			{"number": "503", "date": day, "amount": 100, "payer_inn": random_inn(),
			 "purpose": f"Оплата по счёту {partial.sales_invoice}"},
		]  # fmt: skip
		data = bx.build(ACCOUNT, payments, day, day)
		doc = upload(data)
		self.assertEqual([r.status for r in doc.lines], ["Matched", "Partly Paid", "Unmatched"])
		self.assertEqual(doc.book_payments(), {"booked": 2, "unmatched": 1})
		self.assertEqual(self.stage(full.name), "Invoice Paid")
		self.assertEqual(self.stage(partial.name), "Invoice Issued")
		self.assertEqual(
			flt(frappe.db.get_value("Sales Invoice", partial.sales_invoice, "outstanding_amount")),
			partial_total - 100,
		)
		doc.reload()
		for row in doc.lines[:2]:
			payment = frappe.get_doc("Payment Entry", row.booked_as)
			self.assertEqual((payment.docstatus, payment.bank_account), (1, self.bank_account))
			self.assertEqual(
				payment.references[0].reference_name, frappe.db.get_value("Deal", row.deal, "sales_invoice")
			)
			transaction = frappe.get_doc("Bank Transaction", {"transaction_id": row.payment_key})
			self.assertEqual((transaction.docstatus, transaction.status), (1, "Reconciled"))
			self.assertEqual(transaction.payment_entries[0].payment_entry, payment.name)
			self.assert_balanced("Payment Entry", payment.name)
		entries = frappe.db.count(
			"Payment Entry", {"crm_deal": ("in", [full.name, partial.name]), "docstatus": 1}
		)
		again = upload(data)
		self.assertEqual([r.status for r in again.lines], ["Booked Before", "Booked Before", "Unmatched"])
		self.assertEqual(
			frappe.db.count("Payment Entry", {"crm_deal": ("in", [full.name, partial.name]), "docstatus": 1}),
			entries,
		)
