# Copyright (c) 2026, crm_app contributors
# For license information, please see license.txt

import frappe

from crm_app.tests import ERPNEXT_LINK_TARGETS, CRMTestCase
from crm_app.tests.utils import make_company, make_contact, set_settings

test_ignore = ERPNEXT_LINK_TARGETS


class TestClientContact(CRMTestCase):
	def setUp(self):
		set_settings(default_phone_region="RU")
		frappe.clear_messages()

	def test_full_name_and_normalisation(self):
		company = make_company()
		contact = make_contact(
			company.name,
			first_name=" Ivan ",
			middle_name="Ivanovich",
			last_name="Petrov",
			email="Ivan.Petrov@Example.COM",
			mobile="8 916 123-45-67",
		)
		self.assertEqual(contact.full_name, "Petrov Ivan Ivanovich")
		self.assertEqual(contact.email, "ivan.petrov@example.com")
		self.assertEqual(contact.mobile, "+79161234567")

	def test_phone_region_from_settings(self):
		set_settings(default_phone_region="DE")
		contact = make_contact(phone="030 901820")
		self.assertEqual(contact.phone, "+4930901820")

	def test_invalid_values_are_refused(self):
		with self.assertRaises(frappe.ValidationError):
			make_contact(mobile="+7 123")
		with self.assertRaises(frappe.ValidationError):
			make_contact(email="petrov@")

	def test_duplicate_email_or_phone_warns_but_saves(self):
		email = f"dup-{frappe.generate_hash(length=6)}@example.com"
		first = make_contact(email=email, mobile="+79161110000")
		frappe.clear_messages()
		second = make_contact(email=email.upper())
		self.assertTrue(frappe.db.exists("Client Contact", second.name))
		self.assertIn(first.name, " ".join(str(m) for m in frappe.get_message_log()))

		frappe.clear_messages()
		third = make_contact(phone="8 916 111-00-00")
		self.assertTrue(frappe.db.exists("Client Contact", third.name))
		self.assertIn(first.name, " ".join(str(m) for m in frappe.get_message_log()))

	def test_unique_contact_gets_no_warning(self):
		make_contact(email=f"unique-{frappe.generate_hash(length=8)}@example.com")
		self.assertFalse(frappe.get_message_log())
