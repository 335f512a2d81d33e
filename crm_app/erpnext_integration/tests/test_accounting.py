"""The deal's invoice, payment and shipment in the ERPNext ledger, both ways.

Runs on a site with ERPNext (skipped elsewhere); builds ERPNext documents with
ERPNext's own factories where they fit.
"""

import unittest

import frappe
from frappe.utils import add_days, flt, nowdate

from crm_app.compat import aggregate, freeze_accounts
from crm_app.erpnext_integration import erpnext_installed
from crm_app.tests import CRMTestCase
from crm_app.tests.utils import make_company, make_deal, make_item, make_user, set_settings

SALES_USER = "crm-acc-sales@example.com"
ACCOUNTANT = "crm-acc-accounts@example.com"


def skip_without_erpnext(cls):
	return unittest.skipUnless(erpnext_installed(), "ERPNext is not installed on this site")(cls)


def configure_accounting(cls):
	"""Posting on, for the company of the test site, with the masters these tests use.
	(The default path, from a freshly installed site, is crm_app/tests/test_out_of_the_box.py.)"""
	import erpnext

	cls.company = erpnext.get_default_company()
	cls.abbr = frappe.get_cached_value("Company", cls.company, "abbr")
	cls.currency = frappe.get_cached_value("Company", cls.company, "default_currency")
	cls.warehouse = frappe.get_all(
		"Warehouse", filters={"company": cls.company, "is_group": 0}, pluck="name", limit=1
	)[0]
	cls.vat_account = AccountingTestCase.ensure_vat_account.__func__(cls)
	make_user(SALES_USER, ["Sales User"])
	make_user(ACCOUNTANT, ["Accounts User", "Accounts Manager"])
	set_settings(
		own_deals_only=0,
		default_currency=cls.currency,
		default_vat_rate=20,
		prices_include_vat=0,
		erpnext_enabled=1,
		erpnext_company=cls.company,
		vat_account=cls.vat_account,
		warehouse=cls.warehouse,
		mode_of_payment="Cash",
		submit_invoices=1,
		payment_due_days=10,
	)
	cls.product = make_item(item_type="Product", standard_rate=100, vat_rate=20).name
	cls.service = make_item(item_type="Service", standard_rate=50, vat_rate=10).name


@skip_without_erpnext
class AccountingTestCase(CRMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		configure_accounting(cls)

	@classmethod
	def ensure_vat_account(cls) -> str:
		name = f"CRM VAT - {cls.abbr}"
		if not frappe.db.exists("Account", name):
			parent = frappe.db.get_value(
				"Account", {"company": cls.company, "account_name": "Duties and Taxes"}
			)
			frappe.get_doc(
				{
					"doctype": "Account",
					"account_name": "CRM VAT",
					"parent_account": parent,
					"company": cls.company,
					"account_type": "Tax",
				}
			).insert(ignore_permissions=True)
		return name

	def tearDown(self):
		frappe.set_user("Administrator")

	def add_stock(self, catalog_item: str, qty: float = 10):
		from erpnext.stock.doctype.stock_entry.stock_entry_utils import make_stock_entry

		from crm_app.erpnext_integration.masters import ensure_item

		item_code = ensure_item(catalog_item)
		make_stock_entry(
			item_code=item_code, qty=qty, to_warehouse=self.warehouse, rate=40, company=self.company
		)

	def new_deal(self, lines=None, **kwargs):
		lines = (
			lines
			if lines is not None
			else [{"catalog_item": self.product, "qty": 2}, {"catalog_item": self.service, "qty": 1}]
		)
		kwargs.setdefault("currency", self.currency)
		return make_deal(make_company().name, items=lines, **kwargs)

	def act(self, deal_name: str, action: str, user: str = "Administrator"):
		"""apply_workflow as a request runs it: on an error, everything the request
		wrote is rolled back (here to a savepoint, the test's own transaction staying open)."""
		from frappe.model.workflow import apply_workflow

		frappe.set_user(user)
		frappe.db.savepoint("crm_transition")
		try:
			return apply_workflow(frappe.get_doc("Deal", deal_name).as_dict(), action)
		except Exception:
			frappe.db.rollback(save_point="crm_transition")
			raise
		finally:
			frappe.set_user("Administrator")

	def to_invoice(self, deal_name: str, user: str = "Administrator"):
		self.act(deal_name, "Start Negotiation", user)
		return self.act(deal_name, "Issue Invoice", user)

	def assert_balanced(self, voucher_type: str, voucher_no: str):
		gl = frappe.get_all(
			"GL Entry",
			filters={"voucher_type": voucher_type, "voucher_no": voucher_no, "is_cancelled": 0},
			fields=[aggregate("sum", "debit", "debit"), aggregate("sum", "credit", "credit")],
		)[0]
		self.assertGreater(flt(gl.debit), 0)
		self.assertAlmostEqual(flt(gl.debit), flt(gl.credit), places=2)

	def stage(self, deal_name: str) -> str:
		return frappe.db.get_value("Deal", deal_name, "stage")


class TestLifecycle(AccountingTestCase):
	def test_full_lifecycle_with_a_product_and_a_service(self):
		self.add_stock(self.product)
		deal = self.new_deal()
		deal = self.to_invoice(deal.name)
		invoice = frappe.get_doc("Sales Invoice", deal.sales_invoice)
		self.assertEqual(invoice.docstatus, 1)
		self.assertEqual(invoice.crm_deal, deal.name)
		self.assertEqual(
			invoice.customer, frappe.db.get_value("Client Company", deal.client_company, "erpnext_customer")
		)
		self.assertEqual(
			frappe.db.get_value("Customer", invoice.customer, "crm_client_company"), deal.client_company
		)
		self.assertAlmostEqual(invoice.grand_total, deal.grand_total, places=2)
		self.assertAlmostEqual(invoice.net_total, deal.net_total, places=2)
		self.assertAlmostEqual(invoice.total_taxes_and_charges, deal.vat_total, places=2)
		self.assertEqual(invoice.due_date, frappe.utils.getdate(add_days(nowdate(), 10)))
		self.assert_balanced("Sales Invoice", invoice.name)
		gl = frappe.get_all(
			"GL Entry",
			filters={"voucher_no": invoice.name, "account": invoice.debit_to, "is_cancelled": 0},
			fields=[aggregate("sum", "debit", "debit"), aggregate("sum", "credit", "credit")],
		)[0]
		receivable = flt(gl.debit) - flt(gl.credit)
		self.assertAlmostEqual(flt(receivable), deal.grand_total, places=2)

		self.act(deal.name, "Confirm Payment")
		self.assertEqual(self.stage(deal.name), "Invoice Paid")
		self.assertEqual(flt(frappe.db.get_value("Sales Invoice", invoice.name, "outstanding_amount")), 0)
		payment = frappe.get_all(
			"Payment Entry", filters={"crm_deal": deal.name, "docstatus": 1}, pluck="name"
		)
		self.assertEqual(len(payment), 1)
		self.assert_balanced("Payment Entry", payment[0])

		self.act(deal.name, "Ship Goods")
		self.assertEqual(self.stage(deal.name), "Goods Shipped")
		notes = frappe.get_all("Delivery Note", filters={"crm_deal": deal.name, "docstatus": 1}, pluck="name")
		self.assertEqual(len(notes), 1)
		note = frappe.get_doc("Delivery Note", notes[0])
		self.assertEqual(
			[i.item_code for i in note.items],
			[frappe.db.get_value("Catalog Item", self.product, "erpnext_item")],
		)
		self.assertTrue(frappe.db.exists("Stock Ledger Entry", {"voucher_no": note.name, "is_cancelled": 0}))

	def test_vat_included_and_added(self):
		for included in (0, 1):
			with self.subTest(prices_include_vat=included):
				deal = self.new_deal(
					[{"catalog_item": self.service, "qty": 3, "rate": 120}], prices_include_vat=included
				)
				invoice = frappe.get_doc("Sales Invoice", self.to_invoice(deal.name).sales_invoice)
				# the service carries 10% VAT: 360 net + 36, or 360 gross = 327.27 + 32.73
				expected = (360, 36, 396) if not included else (327.27, 32.73, 360)
				self.assertEqual((deal.net_total, deal.vat_total, deal.grand_total), expected)
				self.assertEqual(
					(
						flt(invoice.net_total, 2),
						flt(invoice.total_taxes_and_charges, 2),
						flt(invoice.grand_total, 2),
					),
					expected,
				)

	def test_standard_rate_invoices_at_22_and_own_10_stays(self):
		"""2026: a standard-rate item at 22 % (22/122 of a VAT-included price), the 10 %
		service at 10 %, each on its Item Tax Template of the VAT account; a line priced
		under 20 % takes 22 % when the invoice is issued."""
		deal = self.new_deal(
			[
				{"catalog_item": self.product, "qty": 1, "rate": 122},
				{"catalog_item": self.service, "qty": 1, "rate": 110},
			],
			prices_include_vat=1,
		)
		frappe.db.set_value("Deal Item", deal.items[0].name, "vat_rate", 20)  # priced in 2025
		deal = self.to_invoice(deal.name)
		self.assertEqual([flt(r.vat_rate) for r in deal.items], [22, 10])
		invoice = frappe.get_doc("Sales Invoice", deal.sales_invoice)
		self.assertEqual(flt(invoice.total_taxes_and_charges, 2), 32)  # 22/122 of 122 + 10/110 of 110
		self.assertEqual(flt(invoice.grand_total, 2), 232)
		templates = [
			frappe.get_doc("Item Tax Template", row.item_tax_template).taxes[0] for row in invoice.items
		]
		self.assertEqual(
			[(t.tax_type, flt(t.tax_rate)) for t in templates],
			[(self.vat_account, 22), (self.vat_account, 10)],
		)

	def test_services_only_need_no_delivery_note(self):
		deal = self.new_deal([{"catalog_item": self.service, "qty": 1}])
		self.to_invoice(deal.name)
		self.act(deal.name, "Confirm Payment")
		self.act(deal.name, "Ship Goods")
		self.assertEqual(self.stage(deal.name), "Goods Shipped")
		self.assertFalse(frappe.db.exists("Delivery Note", {"crm_deal": deal.name}))

	def test_one_customer_for_the_deals_of_a_company(self):
		company = make_company().name
		first = make_deal(company, items=[{"catalog_item": self.service, "qty": 1}], currency=self.currency)
		second = make_deal(company, items=[{"catalog_item": self.service, "qty": 2}], currency=self.currency)
		customers = {
			frappe.db.get_value("Sales Invoice", self.to_invoice(d.name).sales_invoice, "customer")
			for d in (first, second)
		}
		self.assertEqual(len(customers), 1)
		self.assertEqual(frappe.db.count("Customer", {"crm_client_company": company}), 1)


class TestExactlyOneInvoice(AccountingTestCase):
	def test_replayed_transition_and_resave(self):
		from crm_app.erpnext_integration.deal_stage import issue_invoice

		deal = self.to_invoice(self.new_deal().name)
		again = issue_invoice(frappe.get_doc("Deal", deal.name))
		self.assertEqual(again, deal.sales_invoice)
		frappe.get_doc("Deal", deal.name).save()
		with self.assertRaises(frappe.ValidationError):
			self.act(deal.name, "Issue Invoice")
		self.assertEqual(frappe.db.count("Sales Invoice", {"crm_deal": deal.name, "docstatus": ("<", 2)}), 1)


class TestPaymentsFromErpnext(AccountingTestCase):
	def pay(self, invoice: str, amount: float | None = None, user: str = ACCOUNTANT):
		from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

		frappe.set_user(user)
		try:
			payment = get_payment_entry("Sales Invoice", invoice, party_amount=amount)
			payment.reference_no = "T-1"
			payment.reference_date = nowdate()
			if amount is not None:
				payment.paid_amount = payment.received_amount = amount
				payment.references[0].allocated_amount = amount
			payment.insert()
			payment.submit()
			return payment
		finally:
			frappe.set_user("Administrator")

	def test_partial_then_full_payment_then_cancel(self):
		deal = self.to_invoice(self.new_deal([{"catalog_item": self.service, "qty": 2}]).name)
		part = self.pay(deal.sales_invoice, 10)
		self.assertEqual(self.stage(deal.name), "Invoice Issued")
		rest = self.pay(deal.sales_invoice)
		self.assertEqual(self.stage(deal.name), "Invoice Paid")
		last = frappe.get_doc("Deal", deal.name).stage_history[-1]
		self.assertEqual(
			(last.from_stage, last.stage, last.changed_by), ("Invoice Issued", "Invoice Paid", ACCOUNTANT)
		)
		self.assertEqual(rest.crm_deal, deal.name)
		frappe.set_user(ACCOUNTANT)
		frappe.get_doc("Payment Entry", rest.name).cancel()
		frappe.set_user("Administrator")
		self.assertEqual(self.stage(deal.name), "Invoice Issued")
		self.assertTrue(part.name)


class TestCancelAndAmend(AccountingTestCase):
	def test_cancel_in_erpnext_then_amend(self):
		deal = self.to_invoice(self.new_deal([{"catalog_item": self.service, "qty": 1}]).name)
		invoice = frappe.get_doc("Sales Invoice", deal.sales_invoice)
		invoice.cancel()
		self.assertEqual(self.stage(deal.name), "Negotiation")
		self.assertIsNone(frappe.db.get_value("Deal", deal.name, "sales_invoice"))
		self.assertEqual(frappe.get_doc("Deal", deal.name).stage_history[-1].from_stage, "Invoice Issued")
		amended = frappe.copy_doc(invoice)
		amended.docstatus = 0
		amended.amended_from = invoice.name
		amended.insert()
		amended.submit()
		self.assertEqual(frappe.db.get_value("Deal", deal.name, "sales_invoice"), amended.name)
		self.assertEqual(self.stage(deal.name), "Invoice Issued")

	def test_back_to_negotiation_cancels_the_invoice_for_who_may(self):
		deal = self.to_invoice(self.new_deal([{"catalog_item": self.service, "qty": 1}]).name)
		with self.assertRaises(frappe.PermissionError):
			self.act(deal.name, "Back to Negotiation", SALES_USER)
		self.assertEqual(self.stage(deal.name), "Invoice Issued")
		self.assertEqual(frappe.db.get_value("Sales Invoice", deal.sales_invoice, "docstatus"), 1)

		self.act(deal.name, "Back to Negotiation")
		self.assertEqual(self.stage(deal.name), "Negotiation")
		self.assertEqual(frappe.db.get_value("Sales Invoice", deal.sales_invoice, "docstatus"), 2)
		self.assertFalse(frappe.db.exists("GL Entry", {"voucher_no": deal.sales_invoice, "is_cancelled": 0}))
		self.assertIsNone(frappe.db.get_value("Deal", deal.name, "sales_invoice"))

	def test_delivery_note_cancel_moves_back(self):
		self.add_stock(self.product)
		deal = self.to_invoice(self.new_deal([{"catalog_item": self.product, "qty": 1}]).name)
		self.act(deal.name, "Confirm Payment")
		self.act(deal.name, "Ship Goods")
		note = frappe.get_all("Delivery Note", filters={"crm_deal": deal.name, "docstatus": 1}, pluck="name")[
			0
		]
		frappe.get_doc("Delivery Note", note).cancel()
		self.assertEqual(self.stage(deal.name), "Invoice Paid")

	def test_deal_with_submitted_documents_cannot_be_deleted(self):
		deal = self.to_invoice(self.new_deal([{"catalog_item": self.service, "qty": 1}]).name)
		with self.assertRaises(frappe.LinkExistsError):
			frappe.delete_doc("Deal", deal.name)


class TestFailuresLeaveNoTrace(AccountingTestCase):
	def assert_no_trace(self, deal, action="Issue Invoice"):
		customers = frappe.db.count("Customer")
		with self.assertRaises(frappe.ValidationError):
			self.act(deal.name, action)
		self.assertEqual(self.stage(deal.name), "Negotiation")
		self.assertFalse(frappe.db.exists("Sales Invoice", {"crm_deal": deal.name}))
		self.assertEqual(frappe.db.count("Customer"), customers)

	def test_missing_vat_account(self):
		deal = self.new_deal([{"catalog_item": self.product, "qty": 1}])
		self.act(deal.name, "Start Negotiation")
		set_settings(vat_account=None)
		try:
			self.assert_no_trace(deal)
		finally:
			set_settings(vat_account=self.vat_account)

	def test_closed_accounting_period(self):
		deal = self.new_deal([{"catalog_item": self.service, "qty": 1}])
		self.act(deal.name, "Start Negotiation")
		period = frappe.get_doc(
			{
				"doctype": "Accounting Period",
				"period_name": f"CRM closed {frappe.generate_hash(length=4)}",
				"company": self.company,
				"start_date": add_days(nowdate(), -1),
				"end_date": add_days(nowdate(), 1),
				"closed_documents": [{"document_type": "Sales Invoice", "closed": 1}],
			}
		).insert(ignore_permissions=True)
		try:
			self.assert_no_trace(deal)
		finally:
			frappe.delete_doc("Accounting Period", period.name, force=True)

	def test_foreign_currency_with_and_without_exchange_rate(self):
		foreign = "EUR" if self.currency != "EUR" else "GBP"
		frappe.db.set_single_value("Currency Exchange Settings", "disabled", 1)
		frappe.db.delete("Currency Exchange", {"from_currency": foreign, "to_currency": self.currency})
		deal = self.new_deal([{"catalog_item": self.service, "qty": 1}], currency=foreign)
		self.act(deal.name, "Start Negotiation")
		self.assert_no_trace(deal)
		frappe.get_doc(
			{
				"doctype": "Currency Exchange",
				"date": nowdate(),
				"from_currency": foreign,
				"to_currency": self.currency,
				"exchange_rate": 1.25,
				"for_selling": 1,
			}
		).insert(ignore_permissions=True)
		deal = self.act(deal.name, "Issue Invoice")
		invoice = frappe.get_doc("Sales Invoice", deal.sales_invoice)
		self.assertEqual((invoice.currency, flt(invoice.conversion_rate)), (foreign, 1.25))
		self.assertAlmostEqual(invoice.base_grand_total, invoice.grand_total * 1.25, places=2)


class TestWhoMayPost(AccountingTestCase):
	def test_roles_for_payment(self):
		deal = self.to_invoice(self.new_deal([{"catalog_item": self.service, "qty": 1}]).name, SALES_USER)
		with self.assertRaises(frappe.ValidationError):
			self.act(deal.name, "Confirm Payment", SALES_USER)
		self.assertFalse(frappe.db.exists("Payment Entry", {"crm_deal": deal.name}))
		self.act(deal.name, "Confirm Payment", ACCOUNTANT)
		self.assertEqual(self.stage(deal.name), "Invoice Paid")
		self.assertTrue(frappe.db.exists("Payment Entry", {"crm_deal": deal.name, "docstatus": 1}))

	def test_deal_form_shows_its_documents(self):
		data = frappe.get_meta("Deal").get_dashboard_data()
		self.assertEqual(data.fieldname, "crm_deal")
		items = {item for group in data.transactions for item in group["items"]}
		self.assertTrue({"Sales Invoice", "Payment Entry", "Delivery Note"} <= items)

	def test_missing_income_account(self):
		deal = self.new_deal([{"catalog_item": self.service, "qty": 1}])
		self.act(deal.name, "Start Negotiation")
		default = frappe.get_cached_value("Company", self.company, "default_income_account")
		frappe.db.set_value("Company", self.company, "default_income_account", None)
		set_settings(income_account=None)
		try:
			with self.assertRaises(frappe.ValidationError):
				self.act(deal.name, "Issue Invoice")
			self.assertEqual(self.stage(deal.name), "Negotiation")
			self.assertFalse(frappe.db.exists("Sales Invoice", {"crm_deal": deal.name}))
		finally:
			frappe.db.set_value("Company", self.company, "default_income_account", default)


@skip_without_erpnext
class TestConcurrentIssueInvoice(CRMTestCase):
	"""Two users press Issue Invoice at once, on two database connections."""

	def test_two_connections_one_invoice(self):
		import threading

		setup = AccountingTestCase
		setup.setUpClass.__func__(setup)  # settings, items and accounts as the other tests
		deal = make_deal(
			make_company().name,
			items=[{"catalog_item": setup.service, "qty": 1}],
			currency=setup.currency,
		)
		deal.stage = "Negotiation"
		deal.save()
		frappe.db.commit()
		site, results = frappe.local.site, []

		def press():
			frappe.init(site=site)
			frappe.connect()
			frappe.set_user("Administrator")
			try:
				from frappe.model.workflow import apply_workflow

				apply_workflow(frappe.get_doc("Deal", deal.name).as_dict(), "Issue Invoice")
				frappe.db.commit()
				results.append("ok")
			except Exception as e:
				frappe.db.rollback()
				results.append(type(e).__name__)
			finally:
				frappe.destroy()

		threads = [threading.Thread(target=press) for _ in range(2)]
		for t in threads:
			t.start()
		for t in threads:
			t.join()
		frappe.db.commit()
		try:
			self.assertEqual(results.count("ok"), 1, results)
			self.assertEqual(
				frappe.db.count("Sales Invoice", {"crm_deal": deal.name, "docstatus": ("<", 2)}), 1
			)
			self.assertEqual(frappe.db.get_value("Deal", deal.name, "stage"), "Invoice Issued")
		finally:
			for name in frappe.get_all("Sales Invoice", filters={"crm_deal": deal.name}, pluck="name"):
				invoice = frappe.get_doc("Sales Invoice", name)
				if invoice.docstatus == 1:
					invoice.cancel()
				frappe.delete_doc("Sales Invoice", name, force=True)
			frappe.delete_doc("Deal", deal.name, force=True)
			set_settings(erpnext_enabled=0)
			frappe.db.commit()


@skip_without_erpnext
class TestInvoiceBenchmark(CRMTestCase):
	"""The benchmark itself is not a test; this keeps it running at a tiny size."""

	def test_runs(self):
		from crm_app.benchmarks.invoice import run

		result = run(runs=2, warmup=0)
		self.assertEqual(result["runs"], 2)
		self.assertGreater(result["issue_invoice_ms"], 0)
		self.assertGreater(result["bare_sales_invoice_ms"], 0)
		self.assertAlmostEqual(
			result["ratio"], result["issue_invoice_ms"] / result["bare_sales_invoice_ms"], places=2
		)


class TestMasters(AccountingTestCase):
	def test_customer_contact_and_items_linked_both_ways(self):
		from crm_app.tests.utils import make_contact

		company = make_company(entity_type="Sole Proprietor", company_name="IP Ivanov")
		contact = make_contact(company.name, email=f"ivanov-{frappe.generate_hash(length=5)}@example.com")
		deal = make_deal(
			company.name,
			contact=contact.name,
			items=[{"catalog_item": self.product, "qty": 1}, {"catalog_item": self.service, "qty": 1}],
			currency=self.currency,
		)
		invoice = frappe.get_doc("Sales Invoice", self.to_invoice(deal.name).sales_invoice)
		customer = frappe.get_doc("Customer", invoice.customer)
		self.assertEqual((customer.customer_type, customer.tax_id), ("Individual", company.inn))
		erp_contact = frappe.db.get_value("Client Contact", contact.name, "erpnext_contact")
		self.assertEqual(invoice.contact_person, erp_contact)
		self.assertTrue(
			frappe.db.exists(
				"Dynamic Link",
				{"parent": erp_contact, "link_doctype": "Customer", "link_name": customer.name},
			)
		)
		for catalog_item, is_stock in ((self.product, 1), (self.service, 0)):
			item = frappe.db.get_value("Catalog Item", catalog_item, "erpnext_item")
			self.assertEqual(
				frappe.db.get_value("Item", item, ["is_stock_item", "crm_catalog_item"]),
				(is_stock, catalog_item),
			)

		company.reload()
		company.company_name = "IP Ivanov Ivan"
		company.save()
		self.assertEqual(frappe.db.get_value("Customer", customer.name, "customer_name"), "IP Ivanov Ivan")

	def test_frozen_accounts_date(self):
		deal = self.new_deal([{"catalog_item": self.service, "qty": 1}])
		self.act(deal.name, "Start Negotiation")
		freeze_accounts(self.company, add_days(nowdate(), 1))
		try:
			with self.assertRaises(frappe.ValidationError):
				self.act(deal.name, "Issue Invoice", SALES_USER)
			self.assertEqual(self.stage(deal.name), "Negotiation")
			self.assertFalse(frappe.db.exists("Sales Invoice", {"crm_deal": deal.name}))
		finally:
			freeze_accounts(self.company, None)


class TestCurrencyConflict(AccountingTestCase):
	def test_customer_invoiced_in_one_currency_refuses_another(self):
		foreign = "EUR" if self.currency != "EUR" else "GBP"
		if not frappe.db.exists(
			"Currency Exchange", {"from_currency": foreign, "to_currency": self.currency, "date": nowdate()}
		):
			frappe.get_doc(
				{
					"doctype": "Currency Exchange",
					"date": nowdate(),
					"from_currency": foreign,
					"to_currency": self.currency,
					"exchange_rate": 1.1,
					"for_selling": 1,
				}
			).insert(ignore_permissions=True)
		company = make_company().name
		first = make_deal(company, items=[{"catalog_item": self.service, "qty": 1}], currency=self.currency)
		self.to_invoice(first.name)
		second = make_deal(company, items=[{"catalog_item": self.service, "qty": 1}], currency=foreign)
		self.act(second.name, "Start Negotiation")
		with self.assertRaises(frappe.ValidationError):
			self.act(second.name, "Issue Invoice")
		self.assertEqual(self.stage(second.name), "Negotiation")
		self.assertFalse(frappe.db.exists("Sales Invoice", {"crm_deal": second.name}))
		customer = frappe.db.get_value("Client Company", company, "erpnext_customer")
		self.assertFalse(frappe.db.exists("Party Account", {"parent": customer}))


class TestPaymentReminder(AccountingTestCase):
	def test_overdue_invoice_reminded_once_per_period(self):
		from crm_app.documents.setup import ensure_email_templates
		from crm_app.erpnext_integration.reminders import send_payment_reminders
		from crm_app.tests.test_notifications import outgoing_account
		from crm_app.tests.utils import make_contact

		ensure_email_templates()
		outgoing_account()
		set_settings(payment_reminder_days=3)
		company = make_company().name
		contact = make_contact(
			company, email=f"payer-{frappe.generate_hash(length=5)}@example.com", email_opt_in=1
		)
		deal = make_deal(
			company,
			contact=contact.name,
			items=[{"catalog_item": self.service, "qty": 1}],
			currency=self.currency,
		)
		deal = self.to_invoice(deal.name)
		frappe.db.set_value("Sales Invoice", deal.sales_invoice, "due_date", add_days(nowdate(), -5))
		sent_before = frappe.db.count(
			"Email Queue", {"reference_name": deal.name, "message": ("like", "%crm-payment-reminder%")}
		)
		send_payment_reminders()
		send_payment_reminders()
		sent = frappe.db.count(
			"Email Queue", {"reference_name": deal.name, "message": ("like", "%crm-payment-reminder%")}
		)
		self.assertEqual(sent - sent_before, 1)
