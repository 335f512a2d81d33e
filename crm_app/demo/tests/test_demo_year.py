"""The demo year on a fresh ERPNext site made ready by `crm-app quickstart --demo` alone
(.ci/bench-layer's throwaway site, site config `crm_app_quickstart_site`): every report, the
board and the workspace's cards show figures to the head of sales, and a sales user sees
only their own in each; the vouchers were posted at the deals' moments."""

import unittest

import frappe
from frappe.desk.query_report import run as run_report
from frappe.utils import add_days, add_months, flt, get_first_day, getdate, nowdate

from crm_app.analytics import cards
from crm_app.demo import data, load, records
from crm_app.pipeline.board import get_board
from crm_app.tests import CRMTestCase
from crm_app.tests.utils import make_company, make_item

OWN_MARK = "Own record beside the demo"

HEAD = load.team_email(data.TEAM[0])
SELLER = load.team_email(data.TEAM[1])
ACCOUNTANT = load.team_email(data.ACCOUNTANT)
WORKSPACE_WIDGETS = {
	"Number Card": [
		"Open Deals",
		"Total at Invoice Issued",
		"Paid This Month",
		"Win Rate",
		"Weighted Pipeline",
	],
	"Dashboard Chart": ["Deals by Stage", "Lost Reasons"],
}


def report(name: str, **filters) -> list[dict]:
	rows = run_report(name, filters=filters, ignore_prepared_report=True)["result"]
	return [row for row in rows if isinstance(row, dict)]


def year_filters() -> dict:
	return {"from_date": add_months(nowdate(), -12), "to_date": nowdate(), "currency": "RUB"}


def forecast_filters() -> dict:
	start = get_first_day(nowdate())
	return {"from_date": str(start), "to_date": add_days(add_months(start, 3), -1), "currency": "RUB"}


@unittest.skipUnless(
	frappe.conf.get("crm_app_quickstart_site"), "runs on the quick start's throwaway site (.ci/bench-layer)"
)
class TestDemoYear(CRMTestCase):
	def setUp(self):
		self.assertTrue(records.loaded(), "crm-app quickstart --demo loaded no demo data")

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_a_year_of_deals_at_every_stage_with_the_ledger_at_their_moments(self):
		deals = frappe.get_all("Deal", fields=["name", "stage", "creation", "sales_invoice", "responsible"])
		self.assertGreaterEqual(len(deals), 300)
		stages = {d.stage for d in deals}
		self.assertEqual(
			stages,
			{"Request Received", "Negotiation", "Invoice Issued", "Invoice Paid", "Goods Shipped", "Lost"},
		)
		first = min(d.creation for d in deals).date()
		self.assertLessEqual(first, getdate(add_days(nowdate(), -300)))
		self.assertGreaterEqual(len({d.responsible for d in deals}), 4)
		# a shipped deal's invoice is dated the day its history says it was issued, and the
		# accountant's own payments moved deals (history naming the Payment Entry)
		shipped = frappe.get_doc("Deal", next(d.name for d in deals if d.stage == "Goods Shipped"))
		issued = next(r for r in shipped.stage_history if r.stage == "Invoice Issued")
		self.assertEqual(
			frappe.db.get_value("Sales Invoice", shipped.sales_invoice, "posting_date"),
			issued.changed_at.date(),
		)
		by_ledger = frappe.get_all(
			"Deal Stage Log",
			filters={"reference_doctype": "Payment Entry", "changed_by": ACCOUNTANT},
			fields=["reference_name"],
		)
		self.assertGreater(len(by_ledger), 10)
		self.assertEqual(
			frappe.db.get_value("Payment Entry", by_ledger[0].reference_name, "owner"), ACCOUNTANT
		)
		self.assertGreater(frappe.db.count("Delivery Note", {"docstatus": 1, "owner": ACCOUNTANT}), 5)

	def test_the_head_of_sales_sees_figures_everywhere(self):
		frappe.set_user(HEAD)
		# every card and chart of the workspace is theirs to see (a Custom card or chart
		# without a DocType is shown to System Managers only)
		for doctype, names in WORKSPACE_WIDGETS.items():
			for name in names:
				self.assertTrue(frappe.get_doc(doctype, name).has_permission("read"), name)
		funnel = report("Sales Funnel", **year_filters())
		self.assertTrue(all(row["current_count"] > 0 for row in funnel), funnel)
		self.assertGreater(sum(flt(r["current_amount"]) for r in funnel), 0)
		performance = [
			r for r in report("Sales Performance", **year_filters()) if r["responsible"] != "Total"
		]
		self.assertGreaterEqual(len(performance), 4)
		for row in performance:
			self.assertGreater(row["deals_won"], 0)
			self.assertGreater(flt(row["paid_amount"]), 0)
			self.assertGreater(flt(row["target_amount"]), 0)
		lost = report("Lost Deals Analysis", **year_filters())
		self.assertGreaterEqual(len({r["lost_reason"] for r in lost}), 4)
		forecast = report("Sales Forecast", **forecast_filters())
		self.assertGreater(sum(flt(r["weighted_amount"]) for r in forecast), 0)
		self.assertGreater(sum(flt(r["target_amount"]) for r in forecast), 0)
		self.assertGreater(cards.weighted_pipeline()["value"], 0)
		self.assertGreater(cards.win_rate_this_quarter()["value"], 0)
		self.assertEqual(cards.paid_this_month()["value"], self.paid_this_month())
		chart = cards.deals_by_stage_chart()
		self.assertTrue(all(v > 0 for v in chart["datasets"][0]["values"]), chart)
		self.assertTrue(sum(cards.lost_reasons_chart()["datasets"][0]["values"]) > 0)
		board = get_board()
		self.assertEqual(sum(c["count"] for c in self.columns(board)), frappe.db.count("Deal"))
		self.assertTrue(all(c["cards"] for c in self.columns(board)))

	def test_a_sales_user_sees_only_their_own(self):
		own = frappe.get_all("Deal", filters={"responsible": SELLER}, pluck="name")
		everyone = frappe.db.count("Deal")
		self.assertTrue(0 < len(own) < everyone)
		frappe.set_user(SELLER)
		for doctype, names in WORKSPACE_WIDGETS.items():
			for name in names:
				self.assertTrue(frappe.get_doc(doctype, name).has_permission("read"), name)
		self.assertEqual(sorted(frappe.get_list("Deal", pluck="name", limit=0)), sorted(own))
		board = get_board()
		self.assertEqual(sum(c["count"] for c in self.columns(board)), len(own))
		for column in self.columns(board):
			for card in column["cards"]:
				self.assertIn(card["name"], own)
		performance = report("Sales Performance", **year_filters())
		self.assertEqual({r["responsible"] for r in performance} - {"Total"}, {SELLER})
		funnel = report("Sales Funnel", **year_filters())
		self.assertLessEqual(funnel[0]["reached"], len(own))
		self.assertGreater(funnel[0]["reached"], 0)
		mine = sum(flt(r["weighted_amount"]) for r in report("Sales Forecast", **forecast_filters()))
		lost = report("Lost Deals Analysis", **year_filters())
		self.assertGreater(sum(r["deals"] for r in lost), 0)
		weighted = cards.weighted_pipeline()["value"]
		frappe.set_user(HEAD)
		self.assertLess(
			mine, sum(flt(r["weighted_amount"]) for r in report("Sales Forecast", **forecast_filters()))
		)
		self.assertLess(weighted, cards.weighted_pipeline()["value"])
		self.assertGreater(weighted, 0)

	def test_zz_the_users_own_records_beside_the_demo(self):
		"""Runs last here, and is committed: the user's own deals, one on a demo client with a
		demo catalog item, invoiced in ERPNext. crm_app/demo/tests/test_demo_cleared.py checks
		after `crm-app demo --clear` that they, the demo client and item they use and their
		ERPNext twins are all still there."""
		from frappe.model.workflow import apply_workflow

		demo_client = next(n for d, n in records.listed(newest_first=False) if d == "Client Company")
		demo_item = next(n for d, n in records.listed(newest_first=False) if d == "Catalog Item")
		own_item = make_item(item_type="Service", standard_rate=12200)
		own_client = make_company(company_name=f"{OWN_MARK} {frappe.generate_hash(length=4)}")
		for client, items in ((own_client.name, [own_item.name]), (demo_client, [own_item.name, demo_item])):
			deal = frappe.get_doc(
				{
					"doctype": "Deal",
					"title": OWN_MARK,
					"client_company": client,
					"currency": "RUB",
					"items": [{"catalog_item": item, "qty": 1} for item in items],
				}
			).insert()
			for action in ("Start Negotiation", "Issue Invoice"):
				apply_workflow(frappe.get_doc("Deal", deal.name).as_dict(), action)
			self.assertTrue(frappe.db.get_value("Deal", deal.name, "sales_invoice"))
		frappe.db.commit()

	@staticmethod
	def columns(board: dict) -> list[dict]:
		return board["columns"]

	@staticmethod
	def paid_this_month() -> float:
		start = get_first_day(nowdate())
		return flt(
			sum(
				frappe.get_all(
					"Deal",
					filters={"stage": ("in", ["Invoice Paid", "Goods Shipped"]), "paid_at": (">=", start)},
					pluck="grand_total",
				)
			)
		)
