"""A stage change and its postings through the doors besides the form: bulk edit (which
catches the exception and commits the rest), REST writes of the invoice link, and Confirm
Payment by every role the README names."""

import json

import frappe
import frappe.client
from frappe.utils import nowdate

from crm_app.erpnext_integration.tests.test_accounting import SALES_USER, AccountingTestCase
from crm_app.tests.utils import api_token, make_user, rest, set_settings

SALES_MANAGER = "crm-door-sales-manager@example.com"
ACCOUNTS_USER = "crm-door-accounts-user@example.com"
STOCK_USER = "crm-door-stock-user@example.com"


class TestBulkEditIsAtomic(AccountingTestCase):
	def test_refused_posting_leaves_nothing_behind(self):
		foreign = "EUR" if self.currency != "EUR" else "GBP"
		frappe.db.set_single_value("Currency Exchange Settings", "disabled", 1)
		frappe.db.delete("Currency Exchange", {"from_currency": foreign, "to_currency": self.currency})
		deal = self.new_deal([{"catalog_item": self.service, "qty": 1}], currency=foreign)
		self.act(deal.name, "Start Negotiation")
		customers = frappe.db.count("Customer")
		result = frappe.client.bulk_update(
			json.dumps([{"doctype": "Deal", "docname": deal.name, "stage": "Invoice Issued"}])
		)
		self.assertEqual([f["doc"]["docname"] for f in result["failed_docs"]], [deal.name])
		self.assertEqual(self.stage(deal.name), "Negotiation")
		self.assertEqual(len(frappe.get_doc("Deal", deal.name).stage_history), 2)
		self.assertFalse(frappe.db.exists("Sales Invoice", {"crm_deal": deal.name}))
		self.assertEqual(frappe.db.count("Customer"), customers)
		self.assertFalse(frappe.db.get_value("Client Company", deal.client_company, "erpnext_customer"))


class TestInvoiceLinkIsTheLedgers(AccountingTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		set_settings(own_deals_only=0)

	def test_link_cannot_be_repointed(self):
		mine = self.to_invoice(self.new_deal([{"catalog_item": self.service, "qty": 1}]).name, SALES_USER)
		other = self.to_invoice(self.new_deal([{"catalog_item": self.service, "qty": 1}]).name)
		frappe.set_user(SALES_USER)
		try:
			with self.assertRaises(frappe.PermissionError):
				frappe.client.set_value("Deal", mine.name, "sales_invoice", other.sales_invoice)
			result = frappe.client.bulk_update(
				json.dumps([{"doctype": "Deal", "docname": mine.name, "sales_invoice": other.sales_invoice}])
			)
			self.assertEqual(len(result["failed_docs"]), 1)
		finally:
			frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Deal", mine.name, "sales_invoice"), mine.sales_invoice)

	def test_rest_put_refused(self):
		deal = self.to_invoice(self.new_deal([{"catalog_item": self.service, "qty": 1}]).name, SALES_USER)
		other = self.to_invoice(self.new_deal([{"catalog_item": self.service, "qty": 1}]).name)
		token = api_token(SALES_USER)
		frappe.db.commit()
		try:
			response = rest(
				"put", f"/api/resource/Deal/{deal.name}", token, json={"sales_invoice": other.sales_invoice}
			)
			self.assertEqual(response.status_code, 403, response.data)
			frappe.db.commit()
			self.assertEqual(frappe.db.get_value("Deal", deal.name, "sales_invoice"), deal.sales_invoice)
		finally:
			for name in (deal.name, other.name):
				for invoice in frappe.get_all(
					"Sales Invoice", {"crm_deal": name, "docstatus": 1}, pluck="name"
				):
					frappe.get_doc("Sales Invoice", invoice).cancel()
			frappe.db.commit()


class TestConfirmPaymentByEveryRole(AccountingTestCase):
	"""The README gives Confirm Payment to the Sales Manager and the Accounts User, Ship
	Goods to the Sales Manager and the Stock User: each posts with their own roles alone."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(SALES_MANAGER, ["Sales Manager"])
		make_user(ACCOUNTS_USER, ["Accounts User"])
		make_user(STOCK_USER, ["Stock User"])

	def test_each_role_confirms_payment_and_ships(self):
		for payer, shipper in ((SALES_MANAGER, SALES_MANAGER), (ACCOUNTS_USER, STOCK_USER)):
			with self.subTest(payer=payer):
				deal = self.to_invoice(self.new_deal([{"catalog_item": self.product, "qty": 1}]).name)
				self.add_stock(self.product, 1)
				self.act(deal.name, "Confirm Payment", payer)
				self.assertEqual(self.stage(deal.name), "Invoice Paid")
				payment = frappe.get_all(
					"Payment Entry",
					filters={"crm_deal": deal.name, "docstatus": 1},
					fields=["owner", "posting_date"],
				)
				self.assertEqual([(p.owner, str(p.posting_date)) for p in payment], [(payer, nowdate())])
				self.act(deal.name, "Ship Goods", shipper)
				self.assertEqual(self.stage(deal.name), "Goods Shipped")
				self.assertTrue(frappe.db.exists("Delivery Note", {"crm_deal": deal.name, "docstatus": 1}))


class TestVouchersLockTheDealFirst(AccountingTestCase):
	def test_payment_entry_locks_its_deal_before_taking_a_name(self):
		from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

		from crm_app.erpnext_integration import ledger

		deal = self.to_invoice(self.new_deal([{"catalog_item": self.service, "qty": 1}]).name)
		payment = get_payment_entry("Sales Invoice", deal.sales_invoice)
		locked = []
		original = ledger.lock_deals

		def spy(doc, method=None):
			locked.append((doc.doctype, doc.get("__islocal") or doc.is_new(), doc.name))
			return original(doc, method)

		ledger.lock_deals = spy
		try:
			frappe.get_hooks.cache_clear() if hasattr(frappe.get_hooks, "cache_clear") else None
			ledger.lock_deals(payment)
		finally:
			ledger.lock_deals = original
		self.assertEqual(ledger._voucher_invoices(payment), {deal.sales_invoice})
		self.assertTrue(locked)
		hooks = frappe.get_hooks("doc_events")["Payment Entry"]
		self.assertIn("crm_app.erpnext_integration.ledger.lock_deals", hooks["before_insert"])


class TestPostingKeepsTheSession(AccountingTestCase):
	def test_as_administrator_puts_the_session_back(self):
		"""ERPNext code run for a transition as Administrator leaves the request's session (its
		id is the browser's cookie), data and form as they were."""
		from crm_app.erpnext_integration.deal_stage import as_administrator

		frappe.set_user(SALES_USER)
		session = frappe.local.session
		session.sid, session.data = "browser-session-id", frappe._dict(csrf_token="t")
		frappe.local.form_dict = frappe._dict(cmd="frappe.model.workflow.apply_workflow")
		try:
			self.assertEqual(as_administrator(lambda: frappe.session.user), "Administrator")
			self.assertEqual(
				(
					frappe.session.user,
					frappe.session.sid,
					frappe.session.data.csrf_token,
					frappe.local.form_dict.cmd,
				),
				(SALES_USER, "browser-session-id", "t", "frappe.model.workflow.apply_workflow"),
			)
		finally:
			frappe.set_user("Administrator")
