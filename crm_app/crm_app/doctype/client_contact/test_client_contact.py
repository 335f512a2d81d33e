# Copyright (c) 2026, crm_app contributors
# For license information, please see license.txt

import random

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

	def test_extension_is_kept_and_tells_people_apart(self):
		switchboard = "+7 495 " + "".join(random.choices("23456789", k=3)) + "-45-67"
		first = make_contact(phone=f"{switchboard} доб. 101")
		self.assertEqual(first.phone_ext, "101")
		self.assertTrue(first.phone.startswith("+7495"))
		self.assertEqual(len(first.phone), 12)
		frappe.clear_messages()
		# the same switchboard, another extension: another person, no warning
		second = make_contact(phone=f"{switchboard} доб. 102")
		self.assertEqual((second.phone, second.phone_ext), (first.phone, "102"))
		self.assertNotIn(first.name, " ".join(str(m) for m in frappe.get_message_log()))
		# the same extension again: a possible duplicate
		frappe.clear_messages()
		make_contact(phone=first.phone, phone_ext="101")
		self.assertIn(first.name, " ".join(str(m) for m in frappe.get_message_log()))

	def test_what_cannot_be_read_is_refused_never_truncated(self):
		for values in (
			{"phone": "+7 495 123-45-67 доб. 12a"},
			{"phone": "+7 495 123-45-67", "phone_ext": "12-3"},
			{"mobile": "+7 916 123-45-67 доб. 5"},
			{"phone_ext": "101"},
		):
			with self.subTest(values=values), self.assertRaises(frappe.ValidationError):
				make_contact(**values)

	def test_sms_goes_to_the_mobile_without_an_extension(self):
		from crm_app.tests.utils import make_deal

		company = make_company()
		contact = make_contact(
			company.name, phone="+7 495 123-45-67 доб. 7", mobile="8 916 765-43-21", sms_opt_in=1
		)
		deal = make_deal(company.name, contact=contact.name)
		self.assertEqual(deal.contact_mobile, "+79167654321")
