"""The benchmark suite at a tiny size, so that it cannot rot: every measure is
taken, the seeded rows are what the app would write, and nothing is left."""

import frappe

from crm_app.benchmarks import seed, suite
from crm_app.settings import default_currency
from crm_app.tests import CRMTestCase


class TestBenchmark(CRMTestCase):
	def tearDown(self):
		seed.cleanup()

	def test_seeded_deals_match_what_the_app_writes(self):
		from crm_app.deals.lines import prepare_lines, set_totals
		from crm_app.pipeline.rules import funnel_fact_values

		seed.ensure_users()
		seed.ensure_catalog()
		seed.seed_deals(40, default_currency())
		self.assertEqual(seed.count("Deal"), 40)
		for name in ("BENCH-DEAL-00000000", "BENCH-DEAL-00000037"):
			deal = frappe.get_doc("Deal", name)
			stored = {field: deal.get(field) for field in funnel_fact_values(deal)}
			self.assertEqual(stored, funnel_fact_values(deal))
			self.assertEqual(len(deal.items), 3)
			self.assertEqual(deal.stage, deal.stage_history[-1].stage)
			# the app's own computation gives the same totals
			prepare_lines(deal, {})
			set_totals(deal)
			self.assertAlmostEqual(deal.grand_total, frappe.db.get_value("Deal", name, "grand_total"))

	def test_suite_runs_at_a_tiny_size(self):
		result = suite.run(sizes=[30], runs=2, warmup=1, import_size=5, print_table=False)
		measures = [row["measure"] for row in result["rows"]]
		self.assertIn("Deal insert with 3 lines", measures)
		self.assertIn("Sales Funnel report @ 30", measures)
		self.assertIn("Deals by Stage board data @ 30", measures)
		for row in result["rows"]:
			if row.get("ours_ms") is not None:
				self.assertGreater(row["ours_ms"], 0, row)
		imported = next(r for r in result["rows"] if r["measure"].startswith("Data Import"))
		self.assertIn("; 10 of 10 rows imported;", imported["theirs"])
		if "erpnext" in frappe.get_installed_apps():
			funnel = next(r for r in result["rows"] if r["measure"] == "Sales Funnel report @ 30")
			self.assertGreater(funnel["theirs_ms"], 0)
		self.assertIn("| measure |", result["table"])
		self.assertEqual(seed.count("Deal"), 0)
		self.assertEqual(
			frappe.db.count("Client Company", {"email": ("like", "%@bench-import.example.com")}), 0
		)

	def test_statement_benchmark_at_a_tiny_size(self):
		from crm_app.benchmarks import statement

		result = statement.run(lines=20)
		# every tenth payment comes from an unknown payer; half payments are booked too
		self.assertEqual((result["lines"], result["booked"], result["unmatched"]), (20, 18, 2))
		self.assertFalse(frappe.db.exists("Deal", {"name": ("like", f"{statement.PREFIX}%")}))
		self.assertFalse(
			frappe.db.exists("Bank Statement Upload", {"statement_file": ("like", "%bench-statement%")})
		)
