"""Test base classes through one import, for Frappe 15 and 16 (crm_app.compat.test_case).
Tests import `CRMTestCase` from here."""

from crm_app.compat import test_case

CRMTestCase = test_case()

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
