"""Test base classes through one import, for Frappe 15 and 16.

Frappe 16 adds `frappe.tests.IntegrationTestCase`; Frappe 15 has
`frappe.tests.utils.FrappeTestCase`. Tests import `CRMTestCase` from here.
"""

try:
	from frappe.tests import IntegrationTestCase as CRMTestCase
except ImportError:  # Frappe 15
	from frappe.tests.utils import FrappeTestCase as CRMTestCase

__all__ = ["CRMTestCase"]
