"""CRM App Settings' ERPNext part: every empty setting falls back to the company's and
ERPNext's own defaults (README, section Settings)."""

import frappe

from crm_app.erpnext_integration.tests.test_accounting import skip_without_erpnext
from crm_app.tests import CRMTestCase
from crm_app.tests.utils import fresh_settings, set_settings


@skip_without_erpnext
class TestEmptyErpnextSettings(CRMTestCase):
	def setUp(self):
		fresh_settings()

	def test_erpnext_settings(self):
		import erpnext

		from crm_app.erpnext_integration.settings import get_accounting_settings

		company = erpnext.get_default_company()
		set_settings(erpnext_enabled=1, erpnext_company=company)
		acc = get_accounting_settings()
		defaults = frappe.get_cached_value(
			"Company", company, ["default_income_account", "cost_center"], as_dict=True
		)
		self.assertEqual(acc.income_account, defaults.default_income_account)
		self.assertEqual(acc.cost_center, defaults.cost_center)
		self.assertEqual(acc.customer_group, frappe.db.get_single_value("Selling Settings", "customer_group"))
		self.assertEqual(acc.territory, frappe.db.get_single_value("Selling Settings", "territory"))
		self.assertEqual(
			acc.item_group,
			frappe.db.get_single_value("Stock Settings", "item_group")
			or frappe.get_all("Item Group", {"is_group": 0}, pluck="name", order_by="lft", limit=1)[0],
		)
		self.assertEqual(acc.warehouse, frappe.db.get_single_value("Stock Settings", "default_warehouse"))
		self.assertEqual(frappe.db.get_value("Mode of Payment", acc.mode_of_payment, "type"), "Cash")
		self.assertIsNone(acc.vat_account)  # needed only for lines with VAT: Issue Invoice says so
		self.assertEqual((acc.submit_invoices, acc.payment_due_days), (True, 10))
		# the Selling / Stock Settings empty too: the first leaf of each tree
		for doctype, fieldname in (("Selling Settings", "customer_group"), ("Selling Settings", "territory")):
			frappe.db.set_single_value(doctype, fieldname, None)
		acc = get_accounting_settings()
		for doctype, value in (("Customer Group", acc.customer_group), ("Territory", acc.territory)):
			self.assertEqual(frappe.db.get_value(doctype, value, "is_group"), 0, doctype)
