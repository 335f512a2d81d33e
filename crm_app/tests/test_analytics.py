"""Sales analytics on hand-built deals whose right figures were computed by hand: Sales
Forecast, Sales Performance, Lost Deals Analysis, the cards and charts, as a Sales User who
sees only their own deals and as a manager; stage probabilities, fixed and measured; sales
targets; lost reasons."""

import frappe
from frappe.model.workflow import apply_workflow

from crm_app.analytics import cards
from crm_app.crm_app.report.lost_deals_analysis.lost_deals_analysis import execute as lost_report
from crm_app.crm_app.report.sales_forecast.sales_forecast import execute as forecast_report
from crm_app.crm_app.report.sales_performance.sales_performance import execute as performance_report
from crm_app.pipeline.events import record_fact
from crm_app.tests import CRMTestCase
from crm_app.tests.utils import (
	api_token,
	make_company,
	make_deal,
	make_item,
	make_user,
	rest,
	set_settings,
)

SELLER_A = "crm-analytics-a@example.com"
SELLER_B = "crm-analytics-b@example.com"
MANAGER = "crm-analytics-manager@example.com"
PERIOD = {"from_date": "2026-10-01", "to_date": "2026-11-30", "currency": "RUB"}


class AnalyticsTestCase(CRMTestCase):
	"""Eight deals of two sellers (see `build`), in RUB, with fixed probabilities."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(SELLER_A, ["Sales User"])
		make_user(SELLER_B, ["Sales User"])
		make_user(MANAGER, ["Sales Manager"])
		set_settings(
			own_deals_only=1, erpnext_enabled=0, default_currency="RUB", forecast_probability_source="Fixed"
		)
		# only this class's deals in RUB count
		frappe.db.delete("Deal", {"currency": "RUB"})
		frappe.db.delete("Sales Target", {"currency": "RUB"})
		cls.company = make_company().name
		cls.item = make_item(item_type="Service", standard_rate=100, vat_rate=0, vat_exempt=1).name
		cls.deals = cls.build()

	@classmethod
	def deal(cls, responsible, total, created, close=None):
		deal = make_deal(
			cls.company,
			items=[{"catalog_item": cls.item, "qty": 1, "rate": total}],
			responsible=responsible,
			expected_close_date=close,
		)
		frappe.db.set_value("Deal", deal.name, "creation", f"{created} 09:00:00", update_modified=False)
		return deal.name

	@staticmethod
	def act(name, *actions, lost_reason=None):
		for action in actions:
			if action == "Mark Lost":
				frappe.db.set_value("Deal", name, "lost_reason", lost_reason)
			apply_workflow(frappe.get_doc("Deal", name).as_dict(), action)

	@classmethod
	def build(cls) -> dict:
		d = {}
		d["a_won"] = cls.deal(SELLER_A, 1000, "2026-10-05")
		cls.act(d["a_won"], "Start Negotiation", "Issue Invoice", "Confirm Payment")
		frappe.db.set_value("Deal", d["a_won"], "paid_at", "2026-10-15 09:00:00")
		d["a_lost"] = cls.deal(SELLER_A, 500, "2026-10-10")
		cls.act(d["a_lost"], "Start Negotiation", "Mark Lost", lost_reason="Price")
		frappe.db.set_value("Deal", d["a_lost"], "lost_at", "2026-10-20 09:00:00")
		d["a_open"] = cls.deal(SELLER_A, 2000, "2026-11-03", close="2026-12-15")
		cls.act(d["a_open"], "Start Negotiation")
		d["a_invoiced"] = cls.deal(SELLER_A, 300, "2026-11-04")
		cls.act(d["a_invoiced"], "Start Negotiation", "Issue Invoice")
		# lost, then reopened: no longer in the lost figures
		d["a_reopened"] = cls.deal(SELLER_A, 100, "2026-10-01", close="2026-11-10")
		cls.act(d["a_reopened"], "Mark Lost", "Reopen", lost_reason="No Budget")
		# paid, then the payment was cancelled: no longer in the paid figures
		d["a_unpaid"] = cls.deal(SELLER_A, 400, "2026-10-20", close="2026-11-20")
		cls.act(d["a_unpaid"], "Start Negotiation", "Issue Invoice", "Confirm Payment")
		record_fact(d["a_unpaid"], "Invoice Issued", "Deal", d["a_unpaid"])
		d["b_won"] = cls.deal(SELLER_B, 700, "2026-11-02")
		cls.act(d["b_won"], "Start Negotiation", "Issue Invoice", "Confirm Payment", "Ship Goods")
		frappe.db.set_value("Deal", d["b_won"], "paid_at", "2026-11-12 09:00:00")
		d["b_lost"] = cls.deal(SELLER_B, 50, "2026-11-01")
		cls.act(d["b_lost"], "Mark Lost", lost_reason="Competitor")
		frappe.db.set_value("Deal", d["b_lost"], "lost_at", "2026-11-05 09:00:00")
		for responsible, start, end, amount in (
			(SELLER_A, "2026-10-01", "2026-12-31", 9200),
			(SELLER_B, "2026-11-01", "2026-11-30", 3000),
		):
			frappe.get_doc(
				{
					"doctype": "Sales Target",
					"responsible": responsible,
					"from_date": start,
					"to_date": end,
					"currency": "RUB",
					"target_amount": amount,
				}
			).insert()
		return d

	def tearDown(self):
		frappe.set_user("Administrator")

	def as_user(self, user, fn, *args):
		frappe.set_user(user)
		try:
			return fn(*args)
		finally:
			frappe.set_user("Administrator")


FORECAST_PERIOD = {"from_date": "2026-10-01", "to_date": "2026-12-31", "currency": "RUB"}


class TestSalesForecast(AnalyticsTestCase):
	def rows(self, user):
		_columns, data, _message, chart = self.as_user(user, forecast_report, dict(FORECAST_PERIOD))
		self.assertEqual(len(chart["data"]["labels"]), 3)
		return {row["month"]: row for row in data}

	def test_as_a_manager(self):
		rows = self.rows(MANAGER)
		self.assertEqual(list(rows), ["2026-10", "2026-11", "2026-12", "No Close Date"])
		figures = {
			month: (
				r["open_deals"],
				r["pipeline_amount"],
				r["weighted_amount"],
				r["committed_amount"],
				r["paid_amount"],
				r["target_amount"],
			)
			for month, r in rows.items()
		}
		self.assertEqual(
			figures,
			{
				# paid: the won deal of A (the un-paid one is not)
				"2026-10": (0, 0, 0, 0, 1000, 3100),
				# open: A's reopened deal (Negotiation, 30 %) and un-paid one (Invoice Issued,
				# 80 %); paid: B's shipped deal; targets: A's 3,000 of 9,200 and B's 3,000
				"2026-11": (2, 500, 350, 400, 700, 6000),
				"2026-12": (1, 2000, 600, 0, 0, 3100),
				# A's invoiced deal without a close date is not dropped
				"No Close Date": (1, 300, 240, 300, 0, 0),
			},
		)

	def test_as_a_restricted_sales_user(self):
		rows = self.rows(SELLER_B)
		self.assertEqual(rows["2026-11"]["paid_amount"], 700)
		self.assertEqual(rows["2026-11"]["target_amount"], 3000)
		self.assertEqual(rows["2026-12"]["pipeline_amount"], 0)
		self.assertEqual(rows["No Close Date"]["open_deals"], 0)


class TestSalesPerformance(AnalyticsTestCase):
	COLUMNS: tuple = (
		"deals_created",
		"deals_won",
		"deals_lost",
		"win_rate",
		"paid_amount",
		"avg_cycle_days",
		"open_amount",
		"target_amount",
		"target_achieved",
	)

	def rows(self, user):
		_columns, data = self.as_user(user, performance_report, dict(PERIOD))
		return {row["responsible"]: tuple(row[c] for c in self.COLUMNS) for row in data}

	def test_as_a_manager(self):
		self.assertEqual(
			self.rows(MANAGER),
			{
				# six created in Oct-Nov; won A1, lost A2; paid 10 days after creation; open:
				# 2,000 + 300 + 100 + 400; target 9,200 x 61 / 92 days
				SELLER_A: (6, 1, 1, 50.0, 1000.0, 10.0, 2800.0, 6100.0, 16.39),
				SELLER_B: (2, 1, 1, 50.0, 700.0, 10.0, 0.0, 3000.0, 23.33),
				"Total": (8, 2, 2, 50.0, 1700.0, 10.0, 2800.0, 9100.0, 18.68),
			},
		)

	def test_as_a_restricted_sales_user(self):
		rows = self.rows(SELLER_A)
		self.assertEqual(set(rows), {SELLER_A, "Total"})
		self.assertEqual(rows["Total"], rows[SELLER_A])


class TestLostDealsAnalysis(AnalyticsTestCase):
	def rows(self, user):
		_columns, data, _message, chart = self.as_user(user, lost_report, dict(PERIOD))
		return [
			(r["lost_reason"], r["lost_from_stage"], r["deals"], r["amount"], r["share"]) for r in data
		], chart

	def test_as_a_manager_and_as_a_sales_user(self):
		rows, chart = self.rows(MANAGER)
		# the reopened deal's earlier loss is not counted
		self.assertEqual(
			sorted(rows),
			[("Competitor", "Request Received", 1, 50.0, 50.0), ("Price", "Negotiation", 1, 500.0, 50.0)],
		)
		self.assertEqual(sum(chart["data"]["datasets"][0]["values"]), 2)
		rows, _chart = self.rows(SELLER_A)
		self.assertEqual(rows, [("Price", "Negotiation", 1, 500.0, 100.0)])


class TestCardsAndCharts(AnalyticsTestCase):
	def test_each_user_sees_their_own_figures(self):
		from frappe.utils import add_months, getdate, nowdate

		from crm_app.analytics.reports import quarter_bounds

		year = {"from_date": add_months(nowdate(), -12), "to_date": nowdate(), "currency": "RUB"}
		start, end = quarter_bounds(getdate())
		quarter = {"from_date": start, "to_date": end, "currency": "RUB"}
		for user, weighted in ((MANAGER, 1190), (SELLER_A, 1190), (SELLER_B, 0)):
			with self.subTest(user=user):
				# open deals weighted: 2,000 x 30 % + 300 x 80 % + 100 x 30 % + 400 x 80 %
				self.assertEqual(self.as_user(user, cards.weighted_pipeline)["value"], weighted)
				chart = self.as_user(user, cards.lost_reasons_chart)
				lost = sum(row["deals"] for row in self.as_user(user, lost_report, dict(year))[1])
				self.assertEqual(sum(chart["datasets"][0]["values"]), lost)
				stages = self.as_user(user, cards.deals_by_stage_chart)
				own = {} if user == MANAGER else {"responsible": user}
				self.assertEqual(sum(stages["datasets"][0]["values"]), frappe.db.count("Deal", own))
				total = self.as_user(user, performance_report, dict(quarter))[1][-1]
				self.assertEqual(
					self.as_user(user, cards.win_rate_this_quarter)["value"], total["win_rate"] or 0
				)
		self.assertEqual(sum(self.as_user(SELLER_B, cards.lost_reasons_chart)["datasets"][0]["values"]), 1)

	def test_the_public_paths_answer_over_rest_and_the_deprecated_ones_too(self):
		"""The cards at their paths (README, "Public methods") and at the paths of 0.1
		(hooks.py redirects them) give a Sales User the same figure: their own."""
		token = api_token(SELLER_A)
		frappe.db.commit()
		for name in ("weighted_pipeline", "paid_this_month", "win_rate_this_quarter"):
			with self.subTest(card=name):
				expected = self.as_user(SELLER_A, getattr(cards, name))["value"]
				for path in (f"crm_app.analytics.cards.{name}", f"crm_app.pipeline.cards.{name}"):
					response = rest("get", f"/api/method/{path}", token)
					self.assertEqual(response.status_code, 200, (path, response.text))
					self.assertEqual(response.json["message"]["value"], expected, path)
		self.assertEqual(self.as_user(SELLER_A, cards.weighted_pipeline)["value"], 1190)


class TestTargets(AnalyticsTestCase):
	def test_overlapping_periods_refused_and_own_targets_only(self):
		with self.assertRaises(frappe.ValidationError):
			frappe.get_doc(
				{
					"doctype": "Sales Target",
					"responsible": SELLER_B,
					"from_date": "2026-11-15",
					"to_date": "2026-12-15",
					"currency": "RUB",
					"target_amount": 1,
				}
			).insert()
		with self.assertRaises(frappe.ValidationError):
			frappe.get_doc(
				{
					"doctype": "Sales Target",
					"responsible": SELLER_B,
					"from_date": "2027-01-01",
					"to_date": "2027-01-31",
					"target_amount": 0,
				}
			).insert()
		own = self.as_user(SELLER_B, frappe.get_list, "Sales Target", {"currency": "RUB"}, ["responsible"])
		self.assertEqual({t.responsible for t in own}, {SELLER_B})


class TestProbabilities(AnalyticsTestCase):
	def test_fixed_then_measured(self):
		from crm_app.analytics.probability import measure

		self.assertEqual(
			frappe.db.get_value("Deal", self.deals["a_open"], ["probability", "expected_amount"]), (30, 600)
		)
		from crm_app.pipeline.facts import funnel_key

		frappe.db.delete("Deal", {"name": ("not in", list(self.deals.values()))})
		# twenty more closed deals that reached Negotiation: 16 paid, 4 lost
		for i in range(20):
			name = self.deal(MANAGER, 10, "2026-11-10")
			reached = "|Request Received|Negotiation|" + (
				"Invoice Issued|Invoice Paid|" if i < 16 else "Lost|"
			)
			frappe.db.set_value(
				"Deal",
				name,
				{
					"stage": "Invoice Paid" if i < 16 else "Lost",
					"reached_stages": reached,
					"funnel_key": funnel_key(reached, "", ""),
				},
			)
		result = measure()
		# Negotiation: those 20 and the class's own A1, A2, B1: 18 of 23 closed were paid
		self.assertEqual(result["Negotiation"], {"measured_probability": 78.26, "measured_deals": 23})
		# Request Received: also B2, lost there: 18 of 24
		self.assertEqual(result["Request Received"], {"measured_probability": 75.0, "measured_deals": 24})
		# Invoice Issued: 18 closed deals reached it, too few to measure
		self.assertEqual(result["Invoice Issued"], {"measured_probability": None, "measured_deals": 18})
		set_settings(forecast_probability_source="Measured")
		self.assertEqual(
			frappe.db.get_value("Deal", self.deals["a_open"], ["probability", "expected_amount"]),
			(78.26, 1565.2),
		)
		invoiced = frappe.db.get_value("Deal", self.deals["a_invoiced"], "probability")
		self.assertEqual(invoiced, 80)  # the fixed value stands in
		set_settings(forecast_probability_source="Fixed")
		self.assertEqual(frappe.db.get_value("Deal", self.deals["a_open"], "probability"), 30)


class TestLostReasons(CRMTestCase):
	def test_the_patch_moves_free_text_into_notes(self):
		from crm_app.patches.v0_3 import lost_reasons_from_notes

		deals = [make_deal(make_company().name) for _ in range(2)]
		frappe.db.set_value("Deal", deals[0].name, {"lost_notes": " price ", "lost_reason": None})
		frappe.db.set_value("Deal", deals[1].name, {"lost_notes": "went to a friend", "lost_reason": None})
		lost_reasons_from_notes.execute()
		self.assertEqual(frappe.db.get_value("Deal", deals[0].name, "lost_reason"), "Price")
		self.assertEqual(
			frappe.db.get_value("Deal", deals[1].name, ["lost_reason", "lost_notes"]),
			("Other", "went to a friend"),
		)

	def test_standard_reasons_are_installed(self):
		reasons = set(frappe.get_all("Deal Lost Reason", pluck="name"))
		self.assertLessEqual(
			{"Price", "Competitor", "No Budget", "No Decision", "No Response", "Other"}, reasons
		)
