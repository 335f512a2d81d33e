"""After `crm-app demo --clear` on the quick start's throwaway site (.ci/bench-layer, site
config `crm_app_quickstart_site`): the user's own deals and invoices made beside the demo
(test_demo_year.py) are untouched, the demo client and catalog item they use are kept with
their ERPNext twins, and nothing else of the demo is left — no record, voucher, ledger entry,
user, trash copy or queued mail; the site's own setup is as the quick start left it."""

import unittest

import frappe

from crm_app.demo import data, load, records
from crm_app.demo.tests.test_demo_year import OWN_MARK
from crm_app.tests import CRMTestCase


@unittest.skipUnless(
	frappe.conf.get("crm_app_quickstart_site"), "runs on the quick start's throwaway site (.ci/bench-layer)"
)
class TestDemoCleared(CRMTestCase):
	def test_nothing_of_the_demo_is_left_but_what_the_users_own_records_use(self):
		own = frappe.get_all(
			"Deal", filters={"title": OWN_MARK}, fields=["name", "client_company", "sales_invoice", "stage"]
		)
		self.assertEqual(len(own), 2, "test_demo_year.py's own deals are gone")
		self.assertEqual({d.stage for d in own}, {"Invoice Issued"})
		for deal in own:
			self.assertEqual(frappe.db.get_value("Sales Invoice", deal.sales_invoice, "docstatus"), 1)
		# what the own records use is kept, with its ERPNext twin, linked both ways
		kept = records.listed()
		demo_clients = [n for d, n in kept if d == "Client Company"]
		self.assertEqual(len(demo_clients), 1, kept)
		self.assertIn(demo_clients[0], {d.client_company for d in own})
		customer = frappe.db.get_value("Client Company", demo_clients[0], "erpnext_customer")
		self.assertEqual(frappe.db.get_value("Customer", customer, "crm_client_company"), demo_clients[0])
		demo_items = [n for d, n in kept if d == "Catalog Item"]
		self.assertEqual(len(demo_items), 1, kept)
		item = frappe.db.get_value("Catalog Item", demo_items[0], "erpnext_item")
		self.assertEqual(frappe.db.get_value("Item", item, "crm_catalog_item"), demo_items[0])
		# and only what they use: the client, the item, their twins, the item's unit and the
		# VAT template the own invoices carry
		self.assertLessEqual(
			{d for d, _n in kept},
			{"Client Company", "Catalog Item", "Customer", "Item", "UOM", "Item Tax Template"},
		)

		# nothing else of the demo
		self.assertEqual(frappe.db.count("Deal"), 2)
		self.assertEqual(frappe.db.count("Client Company"), 2)  # the own client and the demo one kept
		self.assertEqual(frappe.db.count("Client Contact"), 0)
		self.assertEqual(frappe.db.count("Sales Target"), 0)
		for doctype in ("Payment Entry", "Delivery Note", "Stock Entry", "Stock Ledger Entry", "Bin"):
			self.assertEqual(frappe.db.count(doctype), 0, doctype)
		invoices = {d.sales_invoice for d in own}
		self.assertEqual(set(frappe.get_all("Sales Invoice", pluck="name")), invoices)
		self.assertEqual(
			set(frappe.get_all("GL Entry", filters={"is_cancelled": 0}, pluck="voucher_no", distinct=True)),
			invoices,
		)
		team = [load.team_email(m) for m in (*data.TEAM, data.ACCOUNTANT)]
		self.assertFalse(frappe.get_all("User", filters={"name": ("in", team)}))
		self.assertFalse(frappe.get_all("Contact", filters={"user": ("in", team)}))
		self.assertFalse(frappe.get_all("Dashboard Settings", filters={"name": ("in", team)}))
		for doctype in ("Deal", "Sales Invoice", "User", "Payment Entry"):
			self.assertFalse(frappe.db.exists("Deleted Document", {"deleted_doctype": doctype}), doctype)
		self.assertFalse(frappe.db.exists("Email Queue", {"reference_doctype": "Payment Entry"}))
		own_names = [d.name for d in own]
		self.assertFalse(
			frappe.db.exists(
				"Comment", {"reference_doctype": "Deal", "reference_name": ("not in", own_names)}
			)
		)
		# what the quick start set up stays
		settings = frappe.get_single("CRM App Settings")
		self.assertTrue(settings.erpnext_enabled and settings.vat_account and settings.erpnext_company)
		self.assertEqual(frappe.db.get_single_value("Accounts Settings", "delete_linked_ledger_entries"), 0)
