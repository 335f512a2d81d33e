"""Everything in crm_app that imports or calls ERPNext lives in this package.

Nothing here is imported on a site without ERPNext.
"""

import frappe


def erpnext_installed() -> bool:
	return "erpnext" in frappe.get_installed_apps()
