# Copyright (c) 2026, crm_app contributors
# For license information, please see license.txt

import frappe

from crm_app.tests import ERPNEXT_LINK_TARGETS, CRMTestCase
from crm_app.tests.utils import fresh_settings, make_company, make_contact, make_deal, set_settings

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


class TestDeclaredDefaults(CRMTestCase):
	"""Every declared default holds on a new site, after ERPNext arrives and after migrate,
	without overwriting a value a user set."""

	def stored(self, fieldname: str):
		return frappe.db.get_singles_dict("CRM App Settings", cast=True).get(fieldname)

	def test_a_fresh_install_stores_every_declared_default(self):
		from crm_app.install import declared_defaults

		fresh_settings()
		defaults = declared_defaults()
		self.assertTrue({"prices_include_vat", "default_vat_rate", "own_deals_only"} <= set(defaults))
		if "erpnext" in frappe.get_installed_apps():
			self.assertEqual((defaults["submit_invoices"], defaults["payment_due_days"]), (1, 10))
		stored = frappe.db.get_singles_dict("CRM App Settings", cast=True)
		for fieldname, value in defaults.items():
			self.assertEqual(stored.get(fieldname), value, fieldname)

	def test_a_field_added_after_the_settings_were_saved_gets_its_default(self):
		from crm_app.install import after_migrate

		fresh_settings()
		frappe.db.delete("Singles", {"doctype": "CRM App Settings", "field": "idle_days"})
		frappe.clear_document_cache("CRM App Settings", "CRM App Settings")
		self.assertFalse(frappe.get_cached_doc("CRM App Settings").idle_days)
		after_migrate()
		self.assertEqual(frappe.get_cached_doc("CRM App Settings").idle_days, 7)

	def test_erpnext_installed_after_crm_app(self):
		if "erpnext" not in frappe.get_installed_apps():
			self.skipTest("ERPNext is not installed on this site")
		from crm_app.install import after_app_install

		fresh_settings()
		# the site had saved its settings before ERPNext's fields existed
		for fieldname in ("submit_invoices", "payment_due_days"):
			frappe.delete_doc("Custom Field", f"CRM App Settings-{fieldname}", force=True)
			frappe.db.delete("Singles", {"doctype": "CRM App Settings", "field": fieldname})
		frappe.clear_cache(doctype="CRM App Settings")
		set_settings(own_deals_only=0)
		after_app_install("erpnext")
		settings = frappe.get_single("CRM App Settings")
		self.assertEqual((settings.submit_invoices, settings.payment_due_days), (1, 10))

	def test_the_migrate_patch_repairs_defaults_stored_empty_and_keeps_a_users_choice(self):
		from crm_app.patches.v0_2 import settings_defaults

		fresh_settings()
		frappe.db.delete("Version", {"ref_doctype": "CRM App Settings"})
		# a user really sets Offer Validity to 0 (a desk save keeps a Version; tests skip
		# Versions unless asked) …
		for days in (30, 0):
			settings = frappe.get_single("CRM App Settings")
			settings.offer_validity_days = days
			settings.save(ignore_version=False)
		# … while Default VAT Rate was stored as 0 by a save that did not touch it
		frappe.db.set_single_value("CRM App Settings", "default_vat_rate", 0)
		frappe.db.set_single_value("CRM App Settings", "prices_include_vat", 0)
		settings_defaults.execute()
		self.assertEqual(self.stored("default_vat_rate"), 22)
		self.assertEqual(self.stored("prices_include_vat"), 1)
		self.assertEqual(self.stored("offer_validity_days"), 0)


class TestEmptySettingsFallBack(CRMTestCase):
	"""What each setting means when it is left empty (README, section Settings)."""

	def setUp(self):
		fresh_settings()

	def empty(self, *fieldnames: str):
		set_settings(**{f: None for f in fieldnames})

	def test_defaults_for_deals_and_items(self):
		from crm_app.crm_app.doctype.deal.deal import new_deal_defaults
		from crm_app.settings import default_currency, default_uom, default_vat_rate, phone_region

		self.empty("default_currency", "default_vat_rate", "default_uom", "default_phone_region")
		self.assertEqual(default_currency(), frappe.db.get_default("currency"))
		self.assertEqual(new_deal_defaults()["currency"], frappe.db.get_default("currency"))
		self.assertEqual(default_vat_rate(), 0)
		self.assertEqual(default_uom(), "Nos")
		self.assertEqual(phone_region(), "RU")
		contact = make_contact(None, phone="8 (495) 123-45-67")
		self.assertEqual(contact.phone, "+74951234567")

	def test_no_currency_anywhere_is_explained(self):
		self.empty("default_currency")
		system = frappe.db.get_default("currency")
		frappe.db.set_default("currency", None)
		try:
			with self.assertRaises(frappe.ValidationError) as raised:
				make_deal(make_company().name, currency=None)
			self.assertIn("Default Currency", str(raised.exception))
		finally:
			frappe.db.set_default("currency", system)

	def test_documents_and_reminders(self):
		from crm_app.documents.reminders import notify_idle_deals

		self.empty("offer_validity_days", "idle_days", "payment_reminder_days", "offer_terms")
		deal = make_deal(make_company().name)
		html = frappe.get_print("Deal", deal.name, print_format="Commercial Offer")
		self.assertIn(frappe.utils.formatdate(frappe.utils.add_days(frappe.utils.nowdate(), 14)), html)
		self.assertEqual(notify_idle_deals(), 0)
		if "erpnext" in frappe.get_installed_apps():
			from crm_app.erpnext_integration.reminders import send_payment_reminders

			self.assertEqual(send_payment_reminders(), 0)
