"""Russian UI on the bench: Frappe's own extractor finds no string of the app
without a Russian entry, and a Russian user gets them."""

import frappe
from frappe.translate import get_messages_for_app, get_messages_from_navbar, get_translations_from_apps

from crm_app.tests import CRMTestCase


class TestRussian(CRMTestCase):
	def test_frappe_finds_no_untranslated_string(self):
		ours = get_translations_from_apps("ru", ["crm_app"])
		navbar = {m[1] for m in get_messages_from_navbar()}  # Frappe's own, added to every app
		messages = {m[1] for m in get_messages_for_app("crm_app")} - navbar
		naming_series = {m for m in messages if m.endswith(".#####") or m.endswith(".YYYY.-")}
		missing = sorted(m for m in messages - naming_series if not ours.get(m))
		self.assertEqual(missing, [])
		self.assertGreater(len(messages), 200)

	def test_a_russian_user_sees_russian(self):
		ours = get_translations_from_apps("ru", ["crm_app"])
		lang = frappe.local.lang
		frappe.local.lang = "ru"
		frappe.local.lang_full_dict = None
		try:
			for message in ("Request Received", "Issue Invoice", "Client Company", "Sales Funnel"):
				self.assertEqual(frappe._(message), ours[message])
				self.assertNotEqual(frappe._(message), message)
		finally:
			frappe.local.lang = lang
			frappe.local.lang_full_dict = None
