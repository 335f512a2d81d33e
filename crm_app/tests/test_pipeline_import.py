"""Data Import of deals: Request Received for everyone, any stage for a Sales Manager."""

import frappe

from crm_app.tests import CRMTestCase
from crm_app.tests.utils import import_csv, make_company, make_user

IMPORTER = "crm-importer@example.com"


class TestDealImport(CRMTestCase):
	"""The importer commits row by row, so the test removes what it imported."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.company = make_company().name
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		for name in frappe.get_all("Deal", filters={"client_company": cls.company}, pluck="name"):
			frappe.delete_doc("Deal", name, force=True)
		frappe.delete_doc("Client Company", cls.company, force=True)
		frappe.db.commit()
		super().tearDownClass()

	def tearDown(self):
		frappe.set_user("Administrator")

	def run_import(self, user: str, roles: list[str], rows: list[tuple]):
		"""rows: (title, stage[, stage entered at])"""
		make_user(user, roles)
		frappe.db.commit()
		frappe.set_user(user)
		header = "Title,Client Company,Currency,Stage,Stage Entered At"
		csv = "\n".join(
			[
				header,
				*(f"{row[0]},{self.company},RUB,{row[1]},{row[2] if len(row) > 2 else ''}" for row in rows),
			]
		)
		import_csv("Deal", csv)
		frappe.set_user("Administrator")
		return {
			d.title: d
			for d in frappe.get_all(
				"Deal",
				filters={"client_company": self.company},
				fields=["name", "title", "stage", "paid_at", "stage_entered_at"],
			)
		}

	def test_sales_manager_imports_historical_stages(self):
		imported = self.run_import(
			IMPORTER,
			["System Manager", "Sales Manager"],
			[("old-shipped", "Goods Shipped"), ("old-lost", "Lost"), ("old-new", "Request Received")],
		)
		self.assertEqual(imported["old-shipped"].stage, "Goods Shipped")
		self.assertEqual(imported["old-lost"].stage, "Lost")
		self.assertEqual(imported["old-new"].stage, "Request Received")
		history = frappe.get_doc("Deal", imported["old-shipped"].name).stage_history
		self.assertEqual(
			[(h.from_stage, h.stage) for h in history],
			[(None, "Request Received"), ("Request Received", "Goods Shipped")],
		)
		# silent: no letters for a historical deal
		self.assertFalse(frappe.db.exists("Email Queue", {"reference_name": imported["old-shipped"].name}))

	def test_a_deal_imported_as_paid_counts_on_its_own_date(self):
		from frappe.utils import add_months, get_datetime, get_first_day, nowdate

		from crm_app.analytics.cards import paid_this_month
		from crm_app.settings import default_currency

		last_month = f"{add_months(get_first_day(nowdate()), -1)} 10:00:00"
		this_month = f"{get_first_day(nowdate())} 10:00:00"
		previous = frappe.db.get_single_value("CRM App Settings", "default_currency")
		frappe.db.set_single_value("CRM App Settings", "default_currency", "RUB")
		frappe.db.commit()
		self.addCleanup(frappe.db.commit)  # cleanups run last first: restore, then commit
		self.addCleanup(lambda: frappe.db.set_single_value("CRM App Settings", "default_currency", previous))
		self.assertEqual(default_currency(), "RUB")
		before = paid_this_month()["value"]
		imported = self.run_import(
			IMPORTER,
			["System Manager", "Sales Manager"],
			[
				("paid-last-month", "Invoice Paid", last_month),
				("paid-this-month", "Invoice Paid", this_month),
			],
		)
		self.assertEqual(get_datetime(imported["paid-last-month"].paid_at), get_datetime(last_month))
		self.assertEqual(get_datetime(imported["paid-this-month"].stage_entered_at), get_datetime(this_month))
		for title in ("paid-last-month", "paid-this-month"):
			frappe.db.set_value("Deal", imported[title].name, "grand_total", 100)
		self.assertEqual(paid_this_month()["value"] - before, 100)

	def test_others_import_at_request_received(self):
		imported = self.run_import(
			"crm-importer-2@example.com", ["System Manager", "Sales User"], [("new-paid", "Invoice Paid")]
		)
		self.assertEqual(imported["new-paid"].stage, "Request Received")
