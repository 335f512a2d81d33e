"""A new ERPNext site after `bench --site <site> crm-app quickstart` and nothing else: the
setup wizard done for a Russian company in rubles, a VAT account under Duties and Taxes,
deals posting to ERPNext, and a deal's invoice posted with VAT at 22 %. Runs on the
throwaway site .ci/bench-layer makes for it (site config `crm_app_quickstart_site`)."""

import unittest

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import flt

from crm_app.tests import CRMTestCase
from crm_app.tests.utils import make_company, make_deal, make_item


@unittest.skipUnless(
	frappe.conf.get("crm_app_quickstart_site"), "runs on the quick start's throwaway site (.ci/bench-layer)"
)
class TestQuickstart(CRMTestCase):
	def test_the_site_is_ready_for_a_first_deal(self):
		from crm_app import quickstart

		self.assertTrue(frappe.is_setup_complete())
		settings = frappe.get_single("CRM App Settings")
		self.assertTrue(settings.erpnext_enabled)
		company = frappe.get_doc("Company", settings.erpnext_company)
		self.assertEqual((company.default_currency, company.country), ("RUB", "Russian Federation"))
		vat = frappe.get_doc("Account", settings.vat_account)
		self.assertEqual((vat.account_type, vat.company, vat.is_group), ("Tax", company.name, 0))
		self.assertEqual(quickstart.run(), [])  # run again: nothing left to do

		item = make_item(standard_rate=12200, item_type="Service")
		deal = make_deal(
			make_company().name, items=[{"catalog_item": item.name, "qty": 1}], prices_include_vat=1
		)
		for action in ("Start Negotiation", "Issue Invoice"):
			apply_workflow(frappe.get_doc("Deal", deal.name).as_dict(), action)
		invoice = frappe.get_doc("Sales Invoice", frappe.db.get_value("Deal", deal.name, "sales_invoice"))
		self.assertEqual(invoice.docstatus, 1)
		self.assertEqual((flt(invoice.total_taxes_and_charges), flt(invoice.grand_total)), (2200, 12200))
		self.assertEqual({t.account_head for t in invoice.taxes}, {vat.name})
		frappe.db.rollback()
