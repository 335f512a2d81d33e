"""The main job with ERPNext on a site configured only as the README says: tick "Post
Deals to ERPNext", choose the company and a VAT account; nothing else. `.ci/bench-tests`
runs this module on a throwaway site made for the run, too."""

import frappe
from frappe.utils import add_days, flt, getdate, nowdate

from crm_app.compat import aggregate
from crm_app.erpnext_integration.tests.test_accounting import skip_without_erpnext
from crm_app.tests.test_out_of_the_box import ACCOUNTANT, MANAGER, SALES_USER, OutOfTheBoxTestCase
from crm_app.tests.utils import ensure_tax_account


@skip_without_erpnext
class TestOutOfTheBoxWithErpnext(OutOfTheBoxTestCase):
	"""README: tick Post Deals to ERPNext, choose the company, choose a VAT account."""

	@classmethod
	def readme_settings_for_site(cls) -> dict:
		import erpnext

		company = erpnext.get_default_company()
		return {
			"erpnext_enabled": 1,
			"erpnext_company": company,
			"vat_account": ensure_tax_account(company),
		}

	def receive_stock(self, catalog_item: str, qty: float):
		"""The stock keeper receives the goods in ERPNext into the default warehouse."""
		from erpnext.stock.doctype.stock_entry.stock_entry_utils import make_stock_entry

		from crm_app.erpnext_integration.masters import ensure_item

		warehouse = frappe.db.get_single_value("Stock Settings", "default_warehouse")
		make_stock_entry(item_code=ensure_item(catalog_item), qty=qty, to_warehouse=warehouse, rate=600)

	def test_settings_hold_their_declared_defaults(self):
		settings = frappe.get_single("CRM App Settings")
		self.assertEqual((settings.submit_invoices, settings.payment_due_days), (1, 10))
		self.assertFalse(settings.mode_of_payment)

	def test_main_job(self):
		company, contact, items = self.client_base()
		deal = self.new_deal(company, contact, items)
		self.act(deal.name, "Start Negotiation", SALES_USER)
		self.act(deal.name, "Issue Invoice", SALES_USER)
		deal = frappe.get_doc("Deal", deal.name)
		invoice = frappe.get_doc("Sales Invoice", deal.sales_invoice)
		self.assertEqual(invoice.docstatus, 1)
		self.assertEqual(getdate(invoice.due_date), getdate(add_days(nowdate(), 10)))
		self.assertAlmostEqual(flt(invoice.grand_total), deal.grand_total, places=2)
		self.assertEqual(
			{t.account_head for t in invoice.taxes}, {self.readme_settings_for_site()["vat_account"]}
		)
		gl = frappe.get_all(
			"GL Entry",
			filters={"voucher_no": invoice.name, "is_cancelled": 0},
			fields=[aggregate("sum", "debit", "debit"), aggregate("sum", "credit", "credit")],
		)[0]
		self.assertGreater(flt(gl.debit), 0)
		self.assertAlmostEqual(flt(gl.debit), flt(gl.credit), places=2)

		# the accountant books the payment in ERPNext
		from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

		def book_payment():
			payment = get_payment_entry("Sales Invoice", invoice.name)
			payment.reference_no = "PP-1"
			payment.reference_date = nowdate()
			payment.insert()
			payment.submit()

		self.as_user(ACCOUNTANT, book_payment)
		self.assertEqual(frappe.db.get_value("Deal", deal.name, "stage"), "Invoice Paid")
		letters = frappe.get_all(
			"Email Queue", filters={"reference_doctype": "Deal", "reference_name": deal.name}, pluck="name"
		)
		self.assertEqual(len(letters), 2)  # the invoice, then thanks for the payment
		recipients = frappe.get_all(
			"Email Queue Recipient", filters={"parent": letters[-1]}, pluck="recipient"
		)
		self.assertEqual(recipients, [contact.email])
		self.assertTrue(
			frappe.db.exists(
				"Notification Log",
				{"document_type": "Deal", "document_name": deal.name, "for_user": SALES_USER},
			)
		)

		self.receive_stock(items[0], 5)
		self.act(deal.name, "Ship Goods", MANAGER)
		self.assertEqual(frappe.db.get_value("Deal", deal.name, "stage"), "Goods Shipped")
		notes = frappe.get_all("Delivery Note", filters={"crm_deal": deal.name, "docstatus": 1}, pluck="name")
		self.assertEqual(len(notes), 1)
		self.assertEqual(len(frappe.get_doc("Delivery Note", notes[0]).items), 1)  # the product only
		closing = self.assert_pdfs(deal.name)
		# Both closing documents carry the Sales Invoice's number; the transfer document's
		# shipment date is the Delivery Note's.
		invoice = frappe.db.get_value("Deal", deal.name, "sales_invoice")
		self.assertEqual({d["number"] for d in closing}, {invoice})
		html = frappe.get_print("Deal", deal.name, print_format="Universal Transfer Document")
		shipped = frappe.utils.formatdate(frappe.db.get_value("Delivery Note", notes[0], "posting_date"))
		self.assertIn(shipped, html)
		self.assertIn(invoice, html)

	def test_confirm_payment_with_no_mode_of_payment_set(self):
		company, contact, items = self.client_base()
		deal = self.new_deal(company, contact, items[1:])
		self.act(deal.name, "Start Negotiation", SALES_USER)
		self.act(deal.name, "Issue Invoice", SALES_USER)
		self.act(deal.name, "Confirm Payment", ACCOUNTANT)
		payment = frappe.get_all(
			"Payment Entry", filters={"crm_deal": deal.name, "docstatus": 1}, fields=["mode_of_payment"]
		)
		self.assertEqual(len(payment), 1)
		self.assertEqual(frappe.db.get_value("Mode of Payment", payment[0].mode_of_payment, "type"), "Cash")
