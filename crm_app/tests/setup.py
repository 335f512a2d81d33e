"""`before_tests`: what a test site needs before crm_app's tests run."""

import frappe


def before_tests():
	frappe.clear_cache()
	if "erpnext" in frappe.get_installed_apps():
		from crm_app.erpnext_integration.setup import before_tests as erpnext_before_tests

		erpnext_before_tests()
	elif not frappe.is_setup_complete():
		from frappe.utils.install import complete_setup_wizard

		complete_setup_wizard()
	frappe.db.commit()
	frappe.clear_cache()
