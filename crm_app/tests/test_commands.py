"""The app's bench commands as a user runs them (`bench --site <site> crm-app …`, a process of
its own): they answer in the site's language, and the quick start on a site without ERPNext
says whether Frappe's own setup wizard is still to be done instead of calling the site ready."""

import subprocess
import sys
import unittest

import frappe

from crm_app.tests import CRMTestCase


def crm_app_command(*args: str) -> tuple[int, str]:
	"""`bench --site <this site> crm-app <args>` in a process of its own: (exit code, output)."""
	argv = [sys.executable, "-m", "frappe.utils.bench_helper", "frappe", "--site", frappe.local.site]
	run = subprocess.run(
		[*argv, "crm-app", *args],
		cwd=frappe.local.sites_path,
		capture_output=True,
		text=True,
		timeout=300,
	)
	return run.returncode, run.stdout + run.stderr


@unittest.skipIf(
	"erpnext" in frappe.get_installed_apps(),
	"with ERPNext the quick start would configure the test site's postings (test_quickstart.py)",
)
class TestCommandsSpeakTheSitesLanguage(CRMTestCase):
	def setUp(self):
		self.language = frappe.db.get_single_value("System Settings", "language")
		self.setup_complete = frappe.db.get_value(
			"Installed Application", {"app_name": "frappe"}, "is_setup_complete"
		)
		self.addCleanup(self.restore)

	def restore(self):
		frappe.db.set_single_value("System Settings", "language", self.language)
		frappe.db.set_value(
			"Installed Application", {"app_name": "frappe"}, "is_setup_complete", self.setup_complete
		)
		frappe.db.commit()
		frappe.clear_cache()

	def test_quick_start_answers_in_russian_on_a_russian_site(self):
		frappe.db.set_single_value("System Settings", "language", "ru")
		frappe.db.commit()
		frappe.clear_cache()
		for setup_complete, said in (
			(1, "Делать нечего: сайт готов"),
			(0, "Мастер настройки Frappe ещё не пройден"),
		):
			frappe.db.set_value(
				"Installed Application", {"app_name": "frappe"}, "is_setup_complete", setup_complete
			)
			frappe.db.commit()
			code, out = crm_app_command("quickstart")
			self.assertEqual(code, 0, out)
			self.assertIn(said, out)
			self.assertEqual("сайт готов" in out, bool(setup_complete), out)
		code, out = crm_app_command("demo", "--clear")
		self.assertEqual(code, 0, out)
		self.assertIn("На сайте нет демо-данных", out)

	def test_in_english_on_an_english_site(self):
		frappe.db.set_single_value("System Settings", "language", "en")
		frappe.db.commit()
		frappe.clear_cache()
		code, out = crm_app_command("demo", "--clear")
		self.assertEqual(code, 0, out)
		self.assertIn("No demo data on this site", out)
