"""Test base classes through one import, for Frappe 15 and 16.

Frappe 16 adds `frappe.tests.IntegrationTestCase`; Frappe 15 has
`frappe.tests.utils.FrappeTestCase`. Tests import `CRMTestCase` from here.
"""

try:
	from frappe.tests import IntegrationTestCase as CRMTestCase
except ImportError:  # Frappe 15
	from frappe.tests.utils import FrappeTestCase as CRMTestCase

# Frappe's test runner builds test records for every DocType a tested DocType
# links to, recursively. The links crm_app adds towards ERPNext would drag in
# ERPNext's whole graph of test records; the app's tests make their own.
ERPNEXT_LINK_TARGETS = [
	"Account",
	"Company",
	"Contact",
	"Cost Center",
	"Customer",
	"Customer Group",
	"Delivery Note",
	"Item",
	"Item Group",
	"Mode of Payment",
	"Payment Entry",
	"Sales Invoice",
	"Territory",
	"Warehouse",
]

__all__ = ["ERPNEXT_LINK_TARGETS", "CRMTestCase"]
