"""Bank statements that pay invoices, without ERPNext (crm_app.documents.bank_statements):
a full payment moves its deal to Invoice Paid, a partial one records what was paid and
leaves it at Invoice Issued, an unknown payer stays unmatched, the same statement again
books nothing; a file that is not a statement or is of another account books nothing."""

from datetime import date

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import flt, getdate

from crm_app.documents import bank_exchange as bx
from crm_app.tests import CRMTestCase
from crm_app.tests.test_closing_documents import SELLER
from crm_app.tests.utils import fresh_settings, make_company, make_deal, make_item, random_inn

ACCOUNT = SELLER["seller_settlement_account"]


def attach(content: bytes, name: str = "statement.txt") -> str:
	file = frappe.get_doc({"doctype": "File", "file_name": name, "content": content, "is_private": 1})
	file.insert(ignore_permissions=True)
	return file.file_url


def upload(content: bytes):
	return frappe.get_doc({"doctype": "Bank Statement Upload", "statement_file": attach(content)}).insert()


class BankStatementCase(CRMTestCase):
	def issued_deal(self, company, total: float):
		item = make_item(standard_rate=total, standard_vat_rate=0, vat_rate=0)
		deal = make_deal(company.name, items=[{"catalog_item": item.name, "qty": 1}], prices_include_vat=1)
		for action in ("Start Negotiation", "Issue Invoice"):
			apply_workflow(frappe.get_doc("Deal", deal.name).as_dict(), action)
		return frappe.get_doc("Deal", deal.name)

	def statement(self, lines: list[tuple]) -> bytes:
		"""`lines`: (number, amount, payer INN, purpose)."""
		day = getdate()
		return bx.build(
			ACCOUNT,
			[
				{
					"number": n,
					"date": day,
					"amount": a,
					"payer_inn": inn,
					"payer": f"Payer {inn}",
					"purpose": p,
				}
				for n, a, inn, p in lines
			],
			day,
			day,
		)


class TestBankStatementsWithoutErpnext(BankStatementCase):
	def setUp(self):
		fresh_settings(**SELLER, erpnext_enabled=0)

	def tearDown(self):
		frappe.db.rollback()

	def test_full_partial_and_unknown_payments_and_the_same_statement_again(self):
		buyer, other = make_company(), make_company()
		full, partial = self.issued_deal(buyer, 1000), self.issued_deal(other, 3000)
		data = self.statement(
			[
				("11", 1000, buyer.inn, f"Оплата по счёту № {full.name} от 01.12.2026"),
				("12", 1000, other.inn, f"Оплата по счёту № {partial.name}, в т.ч. НДС"),
				("13", 500, random_inn(), f"Оплата по счёту № {partial.name}"),  # a stranger names it
				("14", 700, other.inn, "Оплата по договору"),  # no invoice named
			]
		)
		doc = upload(data)
		self.assertEqual(doc.account, ACCOUNT)
		self.assertEqual([r.status for r in doc.lines], ["Matched", "Partly Paid", "Unmatched", "Unmatched"])
		self.assertEqual(doc.lines[0].deal, full.name)
		self.assertEqual(doc.book_payments(), {"booked": 2, "unmatched": 2})
		self.assertEqual(frappe.db.get_value("Deal", full.name, "stage"), "Invoice Paid")
		self.assertEqual(
			frappe.db.get_value("Deal", partial.name, ["stage", "paid_amount"]), ("Invoice Issued", 1000)
		)
		history = frappe.get_all(
			"Deal Stage Log", filters={"parent": full.name, "stage": "Invoice Paid"}, pluck="name"
		)
		self.assertEqual(len(history), 1)
		# uploaded again: known, nothing booked twice
		again = upload(data)
		self.assertEqual([r.status for r in again.lines][:2], ["Booked Before", "Booked Before"])
		with self.assertRaises(frappe.ValidationError):
			again.book_payments()  # nothing left to book
		self.assertEqual(flt(frappe.db.get_value("Deal", partial.name, "paid_amount")), 1000)
		# the rest of the partial invoice, in a later statement
		rest = upload(self.statement([("15", 2000, other.inn, f"Доплата по счёту {partial.name}")]))
		self.assertEqual(rest.lines[0].status, "Matched")
		rest.book_payments()
		self.assertEqual(frappe.db.get_value("Deal", partial.name, "stage"), "Invoice Paid")

	def test_a_file_that_is_not_a_statement_or_of_another_account_books_nothing(self):
		buyer = make_company()
		deal = self.issued_deal(buyer, 1000)
		before = frappe.db.count("Bank Statement Upload")
		day = date(2026, 3, 2)
		foreign = [{"number": "1", "date": day, "amount": 1000, "payer_inn": buyer.inn, "purpose": deal.name}]
		cut_short = self.statement([("1", 1000, buyer.inn, deal.name)]).replace(
			"КонецФайла".encode("cp1251"), b""
		)
		for content in (
			b"%PDF-1.4 not a statement",
			bx.build("40702810000000000777", foreign, day, day),  # another account
			cut_short,
		):
			with self.subTest(content=content[:30]), self.assertRaises(frappe.ValidationError):
				upload(content)
		self.assertEqual(frappe.db.count("Bank Statement Upload"), before)
		self.assertEqual(frappe.db.get_value("Deal", deal.name, "stage"), "Invoice Issued")

	def test_paid_amount_is_the_ledgers_not_the_users(self):
		deal = self.issued_deal(make_company(), 1000)
		deal.paid_amount = 1000
		with self.assertRaises(frappe.PermissionError):
			deal.save()
