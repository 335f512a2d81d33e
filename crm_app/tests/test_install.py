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
