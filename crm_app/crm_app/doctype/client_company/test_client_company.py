# Copyright (c) 2026, crm_app contributors
# For license information, please see license.txt

import frappe
from frappe.desk.search import search_link

from crm_app.tests import ERPNEXT_LINK_TARGETS, CRMTestCase
from crm_app.tests.utils import make_company, random_inn, set_settings

test_ignore = ERPNEXT_LINK_TARGETS

SBER_INN = "7707083893"


class TestClientCompany(CRMTestCase):
	def setUp(self):
		set_settings(default_phone_region="RU")
		frappe.db.delete("Client Company", {"inn": ("in", [SBER_INN, "500100732259"])})

	def test_valid_legal_entity_is_normalised(self):
		company = make_company(
			company_name="  Sberbank  ",
			inn="7707 083 893",
			kpp="773601001",
			ogrn="1027700132195",
			phone="8 (495) 500-55-50",
			email=" Info@SberBank.RU ",
		)
		self.assertEqual(company.inn, SBER_INN)
		self.assertEqual(company.company_name, "Sberbank")
		self.assertEqual(company.phone, "+74955005550")
		self.assertEqual(company.email, "info@sberbank.ru")
		self.assertTrue(company.name.startswith("CLC-"))

	def test_sole_proprietor_with_ogrnip_whose_remainder_exceeds_nine(self):
		# 30477000000002 mod 13 = 10, so the check digit is 0: a valid OGRNIP
		# that a mod-13-only rule would refuse.
		company = make_company(
			entity_type="Sole Proprietor", inn="500100732259", ogrn="304770000000020", kpp=""
		)
		self.assertEqual(company.ogrn, "304770000000020")

	def test_bad_requisites_are_refused(self):
		cases = [
			{"inn": "7707083894"},  # check digit altered
			{"inn": "500100732259"},  # 12 digits for a legal entity
			{"inn": "0000000000"},
			{"inn": "77070838A3"},
			{"kpp": "77360100"},
			{"kpp": "773601a01"},
			{"ogrn": "1027700132196"},
			{"ogrn": "0000000000000"},
			{"entity_type": "Sole Proprietor", "inn": "500100732258"},
			{"entity_type": "Sole Proprietor", "inn": "500100732259", "kpp": "773601001"},
			{"entity_type": "Sole Proprietor", "inn": "500100732259", "ogrn": "1027700132195"},
		]
		for values in cases:
			with self.subTest(values=values):
				values.setdefault("inn", random_inn())
				before = frappe.db.count("Client Company")
				with self.assertRaises(frappe.ValidationError):
					make_company(**values)
				self.assertEqual(frappe.db.count("Client Company"), before)

	def test_duplicate_inn_is_refused_naming_the_existing_record(self):
		first = make_company(inn=SBER_INN)
		with self.assertRaises(frappe.DuplicateEntryError) as caught:
			make_company(inn=SBER_INN)
		self.assertIn(first.name, str(caught.exception))

	def test_branches_share_an_inn_with_different_kpp(self):
		make_company(inn=SBER_INN, kpp="773601001")
		branch = make_company(inn=SBER_INN, kpp="540702001")
		self.assertEqual(branch.inn, SBER_INN)
		with self.assertRaises(frappe.DuplicateEntryError):
			make_company(inn=SBER_INN, kpp="773601001")
		with self.assertRaises(frappe.DuplicateEntryError):
			make_company(inn=SBER_INN)

	def test_invalid_phone_and_email_are_refused(self):
		with self.assertRaises(frappe.ValidationError):
			make_company(phone="12345")
		with self.assertRaises(frappe.ValidationError):
			make_company(email="not-an-email")

	def test_search_by_inn(self):
		company = make_company(inn=SBER_INN)
		results = search_link("Client Company", SBER_INN)
		names = [r["value"] for r in (results or frappe.response.get("results") or [])]
		self.assertIn(company.name, names)
