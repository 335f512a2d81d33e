"""After `crm-app demo --clear` on the quick start's throwaway site (.ci/bench-layer, site
config `crm_app_quickstart_site`): no demo record, no ledger entry of a demo voucher, no demo
user, nothing of the demo in the trash or the outbox; the site's own setup is as the quick
start left it."""

import unittest

import frappe

from crm_app.demo import data, load, records
from crm_app.tests import CRMTestCase


@unittest.skipUnless(
	frappe.conf.get("crm_app_quickstart_site"), "runs on the quick start's throwaway site (.ci/bench-layer)"
)
class TestDemoCleared(CRMTestCase):
	def test_nothing_of_the_demo_is_left(self):
		self.assertFalse(records.loaded())
		for doctype in ("Deal", "Client Company", "Client Contact", "Catalog Item", "Sales Target"):
			self.assertEqual(frappe.db.count(doctype), 0, doctype)
		for doctype in ("Sales Invoice", "Payment Entry", "Delivery Note", "Stock Entry", "Customer", "Item"):
			self.assertEqual(frappe.db.count(doctype), 0, doctype)
		for doctype in ("GL Entry", "Payment Ledger Entry", "Stock Ledger Entry", "Bin"):
			self.assertEqual(frappe.db.count(doctype), 0, doctype)
		team = [load.team_email(m) for m in (*data.TEAM, data.ACCOUNTANT)]
		self.assertFalse(frappe.get_all("User", filters={"name": ("in", team)}))
		self.assertFalse(frappe.get_all("Contact", filters={"user": ("in", team)}))
		self.assertFalse(frappe.get_all("Dashboard Settings", filters={"name": ("in", team)}))
		for doctype in ("Deal", "Client Company", "Sales Invoice", "User"):
			self.assertFalse(frappe.db.exists("Deleted Document", {"deleted_doctype": doctype}), doctype)
		self.assertFalse(frappe.db.exists("Email Queue", {"reference_doctype": "Deal"}))
		self.assertFalse(frappe.db.exists("Comment", {"reference_doctype": "Deal"}))
		# what the quick start set up stays
		settings = frappe.get_single("CRM App Settings")
		self.assertTrue(settings.erpnext_enabled and settings.vat_account and settings.erpnext_company)
		self.assertEqual(frappe.db.get_single_value("Accounts Settings", "delete_linked_ledger_entries"), 0)
