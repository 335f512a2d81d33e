"""The app's slide of Frappe's setup wizard (public/js/setup_wizard.js) and its stage
(crm_app.quickstart.setup_wizard_stages): wired through the hooks, it stores the seller's
requisites, sets the three ERPNext settings for the company the wizard made, queues the demo
year for after the wizard's commit, and stops the wizard with a message on a wrong INN."""

import inspect
import os

import frappe

from crm_app import quickstart
from crm_app.tests import CRMTestCase
from crm_app.tests.utils import fresh_settings

SELLER = {
	"crm_seller_legal_name": "ООО «Ветер»",
	"crm_seller_inn": "7707083893",
	"crm_seller_kpp": "773601001",
	"crm_seller_director": "Петров Пётр Петрович",
}


def run_stage(args: dict):
	for stage in quickstart.setup_wizard_stages(args):
		for task in stage["tasks"]:
			task["fn"](task["args"])


def queued_after_commit() -> list[str]:
	"""The methods of the jobs queued to be enqueued after the current commit."""
	methods = []
	for fn in frappe.db.after_commit._functions:
		try:
			args = inspect.getclosurevars(fn).nonlocals.get("queue_args") or {}
		except (TypeError, ValueError):
			continue
		methods.append(args.get("method"))
	return methods


class TestSetupWizardSlide(CRMTestCase):
	def tearDown(self):
		frappe.db.rollback()

	def test_the_slide_and_its_stage_are_wired(self):
		self.assertIn("assets/crm_app/js/setup_wizard.js", frappe.get_hooks("setup_wizard_requires"))
		self.assertTrue(os.path.exists(frappe.get_app_path("crm_app", "public", "js", "setup_wizard.js")))
		from frappe.desk.page.setup_wizard.setup_wizard import get_stages_hooks

		statuses = [stage["status"] for stage in get_stages_hooks(frappe._dict())]
		self.assertIn(frappe._("Setting up the CRM"), statuses)
		# after ERPNext's stages, whose company it configures
		if "erpnext" in frappe.get_installed_apps():
			self.assertEqual(statuses[-1], frappe._("Setting up the CRM"))

	def test_the_slide_stores_the_seller_posting_and_queues_the_demo(self):
		fresh_settings()
		args = {**SELLER, "crm_load_demo": 1}
		erpnext = "erpnext" in frappe.get_installed_apps()
		if erpnext:
			# a company of its own, as the wizard makes (a group's subsidiary keeps its accounts
			# in the parent's chart)
			company = frappe.db.get_value("Company", {"parent_company": ("is", "not set")}, "name")
			args.update(crm_post_to_erpnext=1, company_name=company)
		run_stage(args)
		settings = frappe.get_single("CRM App Settings")
		self.assertEqual(
			(settings.seller_legal_name, settings.seller_inn, settings.seller_kpp, settings.seller_director),
			tuple(SELLER.values()),
		)
		if erpnext:
			self.assertTrue(settings.erpnext_enabled)
			self.assertEqual(settings.erpnext_company, company)
			self.assertEqual(frappe.db.get_value("Account", settings.vat_account, "account_type"), "Tax")
		self.assertIn("crm_app.demo.load.load_after_setup", queued_after_commit())

	def test_without_demo_nothing_is_queued_and_typed_values_stay(self):
		fresh_settings()
		frappe.db.set_single_value("CRM App Settings", "seller_legal_name", "ООО «Своё»")
		run_stage({**SELLER, "crm_load_demo": 0, "crm_post_to_erpnext": 0})
		settings = frappe.get_single("CRM App Settings")
		self.assertEqual(settings.seller_legal_name, "ООО «Своё»")  # never overwritten
		self.assertEqual(settings.seller_inn, SELLER["crm_seller_inn"])
		self.assertNotIn("crm_app.demo.load.load_after_setup", queued_after_commit())

	def test_a_wrong_inn_stops_the_wizard_with_a_message(self):
		fresh_settings()
		with self.assertRaises(frappe.ValidationError):
			run_stage({**SELLER, "crm_seller_inn": "7707083894"})
