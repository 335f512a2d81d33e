# Copyright (c) 2026, crm_app contributors
# For license information, please see license.txt

import frappe

from crm_app.tests import ERPNEXT_LINK_TARGETS, CRMTestCase
from crm_app.tests.utils import set_settings

test_ignore = ERPNEXT_LINK_TARGETS


class TestCRMAppSettings(CRMTestCase):
	def test_seller_requisites_are_normalised(self):
		set_settings(
			seller_inn="7707 083 893",
			seller_kpp="773601001",
			seller_ogrn="1027700132195",
			seller_bik="044525225",
			seller_correspondent_account="30101810400000000225",
			seller_settlement_account="40702810938000000001",
			default_phone_region="ru",
		)
		settings = frappe.get_single("CRM App Settings")
		self.assertEqual(settings.seller_inn, "7707083893")
		self.assertEqual(settings.default_phone_region, "RU")

	def test_sole_proprietor_seller(self):
		set_settings(seller_inn="500100732259", seller_kpp="", seller_ogrn="304500116000157")
		self.assertEqual(frappe.get_single("CRM App Settings").seller_ogrn, "304500116000157")

	def test_bad_values_are_refused(self):
		for values in (
			{"seller_inn": "7707083894"},
			{"seller_kpp": "12"},
			{"seller_bik": "123"},
			{"seller_bik": "044525225", "seller_settlement_account": "40702810938000000002"},
			{"seller_bik": "044525225", "seller_correspondent_account": "30101810400000000226"},
			{"default_phone_region": "XX"},
			{"default_vat_rate": 120},
		):
			with self.subTest(values=values), self.assertRaises(frappe.ValidationError):
				set_settings(**values)
