# Copyright (c) 2026, crm_app contributors
# For license information, please see license.txt

import frappe

from crm_app.tests import ERPNEXT_LINK_TARGETS, CRMTestCase
from crm_app.tests.utils import make_item, set_settings

test_ignore = ERPNEXT_LINK_TARGETS


class TestCatalogItem(CRMTestCase):
	def test_item_code_is_the_name_and_uom_defaults_from_settings(self):
		set_settings(default_uom="pcs")
		item = make_item(item_code=f"  SKU-{frappe.generate_hash(length=6)} ")
		self.assertEqual(item.name, item.item_code)
		self.assertFalse(item.name.startswith(" "))
		self.assertEqual(item.uom, "pcs")

	def test_item_code_is_unique(self):
		item = make_item()
		with self.assertRaises(frappe.DuplicateEntryError):
			make_item(item_code=item.item_code)

	def test_negative_rate_and_bad_vat_are_refused(self):
		with self.assertRaises(frappe.ValidationError):
			make_item(standard_rate=-1)
		with self.assertRaises(frappe.ValidationError):
			make_item(vat_rate=120)

	def test_effective_vat_rate(self):
		set_settings(default_vat_rate=22)
		self.assertEqual(make_item(vat_rate=10).effective_vat_rate(), 10)
		standard = make_item(vat_rate=0)
		self.assertEqual(standard.effective_vat_rate("2025-12-31"), 20)  # the rate follows the date
		self.assertEqual(standard.effective_vat_rate("2026-01-01"), 22)
		self.assertEqual(make_item(vat_rate=10, vat_exempt=1).effective_vat_rate(), 0)
