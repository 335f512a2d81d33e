"""Every voucher posted, cancelled or amended in ERPNext moves the deal with the same
consequences as a user's action (history row naming the voucher, funnel facts, ToDo,
the client's letters and the responsible's notification, SMS) — once, not twice — and
what "paid" means: payments covering the invoice, never a credit note.
"""

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import flt, nowdate

from crm_app.erpnext_integration.tests.test_accounting import (
	ACCOUNTANT,
	configure_accounting,
	skip_without_erpnext,
)
from crm_app.tests.test_stage_consequences import MANAGER, ConsequencesTestCase


@skip_without_erpnext
class LedgerMovesTestCase(ConsequencesTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		configure_accounting(cls)
		frappe.get_doc("User", MANAGER).add_roles("Stock User", "Accounts User")

	def invoiced_deal(self, lines=None):
		deal = self.new_deal(
			items=lines or [{"catalog_item": self.service, "qty": 2}], currency=self.currency
		)
		for action in ("Start Negotiation", "Issue Invoice"):
			apply_workflow(frappe.get_doc("Deal", deal.name).as_dict(), action)
		return frappe.get_doc("Deal", deal.name)

	def pay(self, invoice: str, amount: float | None = None):
		"""A Payment Entry booked by the accountant in ERPNext, as its form makes it."""
		from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

		frappe.set_user(ACCOUNTANT)
		try:
			payment = get_payment_entry("Sales Invoice", invoice, party_amount=amount)
			payment.reference_no = "BANK-1"
			payment.reference_date = nowdate()
			payment.insert()
			payment.submit()
			return payment
		finally:
			frappe.set_user("Administrator")

	def credit(self, invoice: str, for_self: int, qty: float | None = None):
		from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_sales_return

		frappe.set_user(ACCOUNTANT)
		try:
			note = make_sales_return(invoice)
			note.update_outstanding_for_self = for_self
			if qty is not None:
				for row in note.items:
					row.qty = -qty
			note.insert()
			note.submit()
			return note
		finally:
			frappe.set_user("Administrator")

	def as_accountant(self, fn, *args):
		frappe.set_user(ACCOUNTANT)
		try:
			return fn(*args)
		finally:
			frappe.set_user("Administrator")


class TestPayments(LedgerMovesTestCase):
	def test_payment_entry_and_its_cancellation(self):
		deal = self.invoiced_deal()
		before = self.observe(deal.name)
		payment = self.pay(deal.sales_invoice)
		self.assert_moved(
			deal.name, before, "Invoice Issued", "Invoice Paid", ACCOUNTANT, ("Payment Entry", payment.name)
		)
		before = self.observe(deal.name)
		self.as_accountant(frappe.get_doc("Payment Entry", payment.name).cancel)
		self.assert_moved(
			deal.name, before, "Invoice Paid", "Invoice Issued", ACCOUNTANT, ("Payment Entry", payment.name)
		)

	def test_journal_entry(self):
		from erpnext.accounts.doctype.journal_entry.test_journal_entry import make_journal_entry

		deal = self.invoiced_deal()
		invoice = frappe.get_doc("Sales Invoice", deal.sales_invoice)
		entry = make_journal_entry(
			frappe.get_cached_value("Company", self.company, "default_cash_account"),
			invoice.debit_to,
			invoice.grand_total,
			save=False,
		)
		entry.company = self.company
		for row in entry.accounts:
			row.cost_center = frappe.get_cached_value("Company", self.company, "cost_center")
			if row.account == invoice.debit_to:
				row.update(
					{
						"party_type": "Customer",
						"party": invoice.customer,
						"reference_type": "Sales Invoice",
						"reference_name": invoice.name,
					}
				)
		before = self.observe(deal.name)
		self.as_accountant(lambda: entry.insert() and entry.submit())
		self.assert_moved(
			deal.name, before, "Invoice Issued", "Invoice Paid", ACCOUNTANT, ("Journal Entry", entry.name)
		)

	def test_confirm_payment_action_notifies_once(self):
		deal = self.invoiced_deal()
		before = self.observe(deal.name)
		frappe.set_user(MANAGER)
		apply_workflow(frappe.get_doc("Deal", deal.name).as_dict(), "Confirm Payment")
		frappe.set_user("Administrator")
		self.assert_moved(deal.name, before, "Invoice Issued", "Invoice Paid", MANAGER)
		self.assertTrue(frappe.db.exists("Payment Entry", {"crm_deal": deal.name, "docstatus": 1}))


class TestShipments(LedgerMovesTestCase):
	def test_delivery_note_and_its_cancellation(self):
		from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_delivery_note
		from erpnext.stock.doctype.stock_entry.stock_entry_utils import make_stock_entry

		from crm_app.erpnext_integration.masters import ensure_item

		make_stock_entry(
			item_code=ensure_item(self.product),
			qty=5,
			to_warehouse=self.warehouse,
			rate=40,
			company=self.company,
		)
		deal = self.invoiced_deal([{"catalog_item": self.product, "qty": 1}])
		self.pay(deal.sales_invoice)
		before = self.observe(deal.name)
		frappe.set_user(MANAGER)
		note = make_delivery_note(deal.sales_invoice)
		note.insert()
		note.submit()
		frappe.set_user("Administrator")
		self.assert_moved(
			deal.name, before, "Invoice Paid", "Goods Shipped", MANAGER, ("Delivery Note", note.name)
		)
		before = self.observe(deal.name)
		frappe.set_user(MANAGER)
		frappe.get_doc("Delivery Note", note.name).cancel()
		frappe.set_user("Administrator")
		self.assert_moved(
			deal.name, before, "Goods Shipped", "Invoice Paid", MANAGER, ("Delivery Note", note.name)
		)


class TestInvoices(LedgerMovesTestCase):
	def test_cancel_then_amend(self):
		deal = self.invoiced_deal()
		invoice = frappe.get_doc("Sales Invoice", deal.sales_invoice)
		before = self.observe(deal.name)
		self.as_accountant(invoice.cancel)
		self.assert_moved(
			deal.name, before, "Invoice Issued", "Negotiation", ACCOUNTANT, ("Sales Invoice", invoice.name)
		)
		self.assertIsNone(frappe.db.get_value("Deal", deal.name, "sales_invoice"))
		amended = frappe.copy_doc(invoice)
		amended.docstatus = 0
		amended.amended_from = invoice.name
		before = self.observe(deal.name)
		self.as_accountant(lambda: amended.insert() and amended.submit())
		self.assert_moved(
			deal.name, before, "Negotiation", "Invoice Issued", ACCOUNTANT, ("Sales Invoice", amended.name)
		)
		self.assertEqual(frappe.db.get_value("Deal", deal.name, "sales_invoice"), amended.name)


class TestCreditNotes(LedgerMovesTestCase):
	"""Outstanding zero is not "paid": a fully credited invoice is as good as cancelled."""

	def assert_withdrawn(self, deal, note, before):
		self.assert_moved(
			deal.name, before, "Invoice Issued", "Negotiation", ACCOUNTANT, ("Sales Invoice", note.name)
		)
		self.assertIsNone(frappe.db.get_value("Deal", deal.name, "sales_invoice"))

	def test_full_credit_note_against_the_invoice(self):
		deal = self.invoiced_deal()
		before = self.observe(deal.name)
		note = self.credit(deal.sales_invoice, for_self=0)
		self.assertEqual(
			frappe.db.get_value("Sales Invoice", deal.sales_invoice, "status"), "Credit Note Issued"
		)
		self.assertEqual(
			flt(frappe.db.get_value("Sales Invoice", deal.sales_invoice, "outstanding_amount")), 0
		)
		self.assert_withdrawn(deal, note, before)
		# a new Issue Invoice makes a new invoice
		apply_workflow(frappe.get_doc("Deal", deal.name).as_dict(), "Issue Invoice")
		new_invoice = frappe.db.get_value("Deal", deal.name, "sales_invoice")
		self.assertNotEqual(new_invoice, deal.sales_invoice)
		self.assertEqual(frappe.db.get_value("Sales Invoice", new_invoice, "docstatus"), 1)

	def test_standalone_full_credit_note_and_its_cancellation(self):
		deal = self.invoiced_deal()
		before = self.observe(deal.name)
		note = self.credit(deal.sales_invoice, for_self=1)
		self.assert_withdrawn(deal, note, before)
		before = self.observe(deal.name)
		self.as_accountant(frappe.get_doc("Sales Invoice", note.name).cancel)
		self.assert_moved(
			deal.name, before, "Negotiation", "Invoice Issued", ACCOUNTANT, ("Sales Invoice", note.name)
		)
		self.assertEqual(frappe.db.get_value("Deal", deal.name, "sales_invoice"), deal.sales_invoice)

	def test_partial_credit_note_then_the_rest_paid(self):
		for for_self in (0, 1):
			with self.subTest(update_outstanding_for_self=for_self):
				deal = self.invoiced_deal([{"catalog_item": self.service, "qty": 2}])
				note = self.credit(deal.sales_invoice, for_self=for_self, qty=1)
				self.assertEqual(self.stage(deal.name), "Invoice Issued")
				rest = frappe.get_doc("Sales Invoice", deal.sales_invoice).grand_total + note.grand_total
				before = self.observe(deal.name)
				payment = self.pay(deal.sales_invoice, rest)
				self.assert_moved(
					deal.name,
					before,
					"Invoice Issued",
					"Invoice Paid",
					ACCOUNTANT,
					("Payment Entry", payment.name),
				)

	def test_return_after_payment(self):
		"""README: a partial return after payment leaves the deal paid (the refund is the
		accountant's business); a full one takes the invoice back like a cancellation."""
		deal = self.invoiced_deal([{"catalog_item": self.service, "qty": 2}])
		self.pay(deal.sales_invoice)
		self.credit(deal.sales_invoice, for_self=0, qty=1)
		self.assertEqual(self.stage(deal.name), "Invoice Paid")
		before = self.observe(deal.name)
		note = self.credit(deal.sales_invoice, for_self=1, qty=1)
		self.assert_moved(
			deal.name, before, "Invoice Paid", "Negotiation", ACCOUNTANT, ("Sales Invoice", note.name)
		)
		self.assertIsNone(frappe.db.get_value("Deal", deal.name, "sales_invoice"))

	def stage(self, deal: str) -> str:
		return frappe.db.get_value("Deal", deal, "stage")


class TestReconciliation(LedgerMovesTestCase):
	def test_advance_reconciled(self):
		from erpnext.accounts.doctype.payment_entry.test_payment_entry import create_payment_entry
		from erpnext.accounts.party import get_party_account

		deal = self.invoiced_deal()
		invoice = frappe.get_doc("Sales Invoice", deal.sales_invoice)
		advance = create_payment_entry(
			company=self.company,
			payment_type="Receive",
			party_type="Customer",
			party=invoice.customer,
			paid_from=invoice.debit_to,
			paid_to=frappe.get_cached_value("Company", self.company, "default_cash_account"),
			paid_amount=invoice.grand_total,
		)
		advance.insert()
		advance.submit()
		tool = frappe.new_doc("Payment Reconciliation")
		tool.company = self.company
		tool.party_type = "Customer"
		tool.party = invoice.customer
		tool.receivable_payable_account = get_party_account("Customer", invoice.customer, self.company)
		tool.get_unreconciled_entries()
		invoices = [row.as_dict() for row in tool.invoices if row.invoice_number == invoice.name]
		payments = [row.as_dict() for row in tool.payments if row.reference_name == advance.name]
		tool.allocate_entries(frappe._dict({"invoices": invoices, "payments": payments}))
		before = self.observe(deal.name)
		tool.reconcile()
		self.assert_moved(
			deal.name,
			before,
			"Invoice Issued",
			"Invoice Paid",
			"Administrator",
			("Sales Invoice", invoice.name),
		)


class TestPaidThisMonth(LedgerMovesTestCase):
	def test_a_cancelled_payment_leaves_the_card(self):
		from crm_app.analytics.cards import paid_this_month

		deal = self.invoiced_deal()
		start = paid_this_month()["value"]
		payment = self.pay(deal.sales_invoice)
		self.assertAlmostEqual(paid_this_month()["value"] - start, deal.grand_total, places=2)
		self.as_accountant(frappe.get_doc("Payment Entry", payment.name).cancel)
		self.assertEqual(frappe.db.get_value("Deal", deal.name, "stage"), "Invoice Issued")
		self.assertAlmostEqual(paid_this_month()["value"], start, places=2)
