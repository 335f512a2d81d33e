"""Sales Funnel figures on a seeded set, against hand-computed values."""

import frappe

from crm_app.crm_app.report.sales_funnel.sales_funnel import execute
from crm_app.pipeline.rules import refresh_funnel_facts
from crm_app.tests import CRMTestCase
from crm_app.tests.utils import make_company, make_deal, make_item, make_user, set_settings

DAY = 86400
OWN_USER = "crm-funnel-user@example.com"


def move(deal, *stages, seconds=DAY):
	"""Walk a deal through stages by saving it, then set each new history row's
	time in the previous stage to `seconds` so the averages are known."""
	for stage in stages:
		doc = frappe.get_doc("Deal", deal)
		doc.stage = stage
		if stage == "Lost":
			doc.lost_reason = "Other"
		doc.save()
		row = doc.stage_history[-1]
		frappe.db.set_value("Deal Stage Log", row.name, "seconds_in_previous_stage", seconds)
		refresh_funnel_facts(deal)


class TestSalesFunnel(CRMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		set_settings(
			own_deals_only=1,
			prices_include_vat=0,
			default_vat_rate=20,
			default_currency="RUB",
			erpnext_enabled=0,
		)
		make_user(OWN_USER, ["Sales User"])
		cls.company = make_company().name
		item = make_item(standard_rate=100, standard_vat_rate=0, vat_rate=20).name

		def deal(qty, responsible="Administrator"):
			return make_deal(
				cls.company,
				items=[{"catalog_item": item, "qty": qty}],
				currency="RUB",
				responsible=responsible,
			).name

		# grand totals: qty * 120
		cls.a, cls.b, cls.c, cls.d, cls.e = deal(1), deal(2), deal(3), deal(4), deal(5, OWN_USER)
		move(cls.a, "Negotiation", "Invoice Issued", "Invoice Paid", "Goods Shipped", seconds=2 * DAY)
		move(cls.b, "Negotiation", "Invoice Issued", seconds=DAY)
		move(cls.c, "Negotiation", seconds=4 * DAY)
		move(cls.c, "Lost", seconds=DAY)
		move(cls.d, "Lost", seconds=3 * DAY)
		# e stays at Request Received
		make_deal(make_company().name, items=[{"catalog_item": item, "qty": 9}], currency="EUR")

	def tearDown(self):
		frappe.set_user("Administrator")

	def rows(self, **filters):
		_columns, data, _message, chart = execute({"client_company": self.company, **filters})
		self.assertEqual(len(chart["data"]["labels"]), len(data))
		return {row["stage_name"]: row for row in data}

	def test_funnel_numbers(self):
		rows = self.rows()
		self.assertEqual(
			list(rows),
			["Request Received", "Negotiation", "Invoice Issued", "Invoice Paid", "Goods Shipped", "Lost"],
		)
		now = {stage: (r["current_count"], r["current_amount"]) for stage, r in rows.items()}
		self.assertEqual(
			now,
			{
				"Request Received": (1, 600),
				"Negotiation": (0, 0),
				"Invoice Issued": (1, 240),
				"Invoice Paid": (0, 0),
				"Goods Shipped": (1, 120),
				"Lost": (2, 840),
			},
		)
		reached = {stage: r["reached"] for stage, r in rows.items()}
		self.assertEqual(
			reached,
			{
				"Request Received": 5,
				"Negotiation": 3,
				"Invoice Issued": 2,
				"Invoice Paid": 1,
				"Goods Shipped": 1,
				"Lost": 2,
			},
		)
		self.assertIsNone(rows["Request Received"]["conversion"])
		self.assertEqual(rows["Negotiation"]["conversion"], 60.0)
		self.assertEqual(rows["Invoice Issued"]["conversion"], 66.67)
		self.assertEqual(rows["Invoice Paid"]["conversion"], 50.0)
		self.assertEqual(rows["Goods Shipped"]["conversion"], 100.0)
		# left Request Received: a 2d, b 1d, c 4d, d 3d -> 2.5d; left Negotiation: a 2, b 1, c 1 -> 1.33d
		self.assertEqual(rows["Request Received"]["avg_days_in_stage"], 2.5)
		self.assertEqual(rows["Negotiation"]["avg_days_in_stage"], 1.33)
		self.assertEqual(rows["Invoice Issued"]["avg_days_in_stage"], 2.0)
		self.assertIsNone(rows["Goods Shipped"]["avg_days_in_stage"])
		lost = {stage: r["lost_from"] for stage, r in rows.items() if r["lost_from"]}
		self.assertEqual(lost, {"Request Received": 1, "Negotiation": 1})

	def test_filters(self):
		self.assertEqual(sum(r["reached"] for r in self.rows(currency="EUR").values()), 0)
		rows = self.rows(responsible=OWN_USER)
		self.assertEqual(rows["Request Received"]["reached"], 1)
		self.assertEqual(self.rows(from_date="2999-01-01")["Request Received"]["reached"], 0)

	def test_restricted_sales_user_sees_only_own_deals(self):
		frappe.set_user(OWN_USER)
		rows = self.rows()
		self.assertEqual(rows["Request Received"]["reached"], 1)
		self.assertEqual(rows["Request Received"]["current_amount"], 600)
		self.assertEqual(rows["Negotiation"]["reached"], 0)

	def test_facts_on_the_deals_agree_with_the_history(self):
		"""The per-deal facts the report reads give what the history rows give."""
		from crm_app.analytics.funnel import StageLog, aggregate_logs, assemble_funnel
		from crm_app.pipeline.workflow import stage_options

		deals = frappe.get_all(
			"Deal", filters={"client_company": self.company}, fields=["name", "stage", "grand_total"]
		)
		logs = frappe.get_all(
			"Deal Stage Log",
			filters={"parenttype": "Deal", "parent": ("in", [d.name for d in deals])},
			fields=["parent", "from_stage", "stage", "seconds_in_previous_stage"],
			order_by="parent asc, idx asc",
		)
		states = stage_options()
		expected = assemble_funnel(
			states,
			aggregate_logs(
				states,
				[StageLog(*row.values()) for row in logs],
				{d.name: (d.stage, d.grand_total) for d in deals},
			),
		)
		rows = self.rows()
		for row in expected:
			got = rows[row.stage]
			self.assertEqual(
				(got["reached"], got["conversion"], got["avg_days_in_stage"], got["lost_from"]),
				(row.reached, row.conversion, row.avg_days_in_stage, row.lost_from),
				row.stage,
			)
