"""The app as installed on the site: roles, DocTypes, hooks."""

import frappe

from crm_app.tests import CRMTestCase

APP_DOCTYPES = {"Client Company", "Client Contact", "Catalog Item", "Deal", "Deal Item", "CRM App Settings"}


class TestInstall(CRMTestCase):
	def test_roles_exist(self):
		for role in ("Sales User", "Sales Manager"):
			self.assertTrue(frappe.db.exists("Role", role), role)

	def test_doctypes_are_in_the_module(self):
		installed = set(frappe.get_all("DocType", filters={"module": "CRM App"}, pluck="name"))
		self.assertTrue(APP_DOCTYPES <= installed, APP_DOCTYPES - installed)
		for doctype in APP_DOCTYPES - {"CRM App Settings", "Deal Item"}:
			self.assertTrue(frappe.db.table_exists(doctype), doctype)

	def test_hooks_resolve(self):
		hooks = frappe.get_hooks(app_name="crm_app")
		paths = [
			hooks[key][0] for key in ("before_install", "after_install", "before_uninstall", "before_tests")
		]
		for key in ("permission_query_conditions", "has_permission"):
			for methods in hooks[key].values():
				paths.extend(methods)
		for path in paths:
			self.assertTrue(callable(frappe.get_attr(path)), path)

	def test_erpnext_fields_only_with_erpnext(self):
		"""ERPNext's links exist exactly where ERPNext is installed."""
		has_erpnext = "erpnext" in frappe.get_installed_apps()
		for doctype, fieldname in (
			("Deal", "sales_invoice"),
			("Client Company", "erpnext_customer"),
			("Catalog Item", "erpnext_item"),
			("CRM App Settings", "erpnext_company"),
		):
			self.assertEqual(bool(frappe.get_meta(doctype).get_field(fieldname)), has_erpnext, fieldname)
		if has_erpnext:
			self.assertTrue(frappe.get_meta("Sales Invoice").get_field("crm_deal"))
			self.assertTrue(frappe.get_meta("Customer").get_field("crm_client_company"))
