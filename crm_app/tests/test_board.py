"""The board page "Deals by Stage" (crm_app.pipeline.board): a page of cards per column,
ordered for the salesperson, Load more, column totals over all deals, the own-deals rule,
moves by save, and nothing written when it opens."""

import frappe
from frappe.utils import add_days, nowdate

from crm_app.pipeline import board
from crm_app.tests import CRMTestCase
from crm_app.tests.utils import make_company, make_deal, make_item, make_user, set_settings

ALICE = "crm-board-alice@example.com"
BOB = "crm-board-bob@example.com"


class TestBoardPage(CRMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(ALICE, ["Sales User"])
		make_user(BOB, ["Sales User"])
		set_settings(own_deals_only=1)
		cls.company = make_company().name
		cls.item = make_item(standard_rate=100).name
		frappe.set_user(ALICE)
		cls.deals = []
		for i in range(25):
			next_contact = add_days(nowdate(), 30 - i) if i % 5 == 0 else None
			cls.deals.append(
				make_deal(
					cls.company,
					items=[{"catalog_item": cls.item, "qty": i + 1}],
					next_contact_date=next_contact,
				)
			)
		frappe.set_user(BOB)
		cls.bob_deal = make_deal(cls.company, items=[{"catalog_item": cls.item, "qty": 1}]).name
		frappe.set_user("Administrator")

	def tearDown(self):
		frappe.set_user("Administrator")

	def column(self, result: dict, stage: str) -> dict:
		return next(c for c in result["columns"] if c["stage"] == stage)

	def filters(self):
		return [["client_company", "=", self.company]]

	def test_bounded_columns_with_totals_of_all_deals(self):
		frappe.set_user(ALICE)
		result = board.get_board(self.filters())
		column = self.column(result, "Request Received")
		names = [c["name"] for c in column["cards"]]
		self.assertEqual(len(names), 20)
		self.assertTrue(column["more"])
		self.assertEqual(column["count"], 25)
		stored = frappe.get_all(
			"Deal",
			filters={"client_company": self.company, "owner": ALICE},
			fields=["grand_total", "currency"],
		)
		self.assertAlmostEqual(
			column["amounts"][stored[0].currency], sum(d.grand_total for d in stored), places=2
		)
		self.assertNotIn(self.bob_deal, names)
		self.assertEqual(
			result["company_names"][self.company],
			frappe.db.get_value("Client Company", self.company, "company_name"),
		)
		# the cards a salesperson acts on first: next contact soonest, then newest
		dated = sorted((d for d in self.deals if d.next_contact_date), key=lambda d: str(d.next_contact_date))
		self.assertEqual(names[: len(dated)], [d.name for d in dated])
		undated = [d.name for d in reversed(self.deals) if not d.next_contact_date]
		self.assertEqual(names[len(dated) :], undated[: 20 - len(dated)])

	def test_load_more_gives_the_rest_once(self):
		frappe.set_user(ALICE)
		first = self.column(board.get_board(self.filters()), "Request Received")["cards"]
		rest = board.get_column_page("Request Received", self.filters(), start=20)["cards"]
		names = [c["name"] for c in first + rest]
		self.assertEqual(len(rest), 5)
		self.assertEqual(sorted(names), sorted(d.name for d in self.deals))
		self.assertEqual(board.get_column_page("Request Received", self.filters(), start=25)["cards"], [])
		# a page past the dated cards starts inside the undated ones
		page = board.get_column_page("Request Received", self.filters(), start=7, page_length=3)["cards"]
		self.assertEqual([c["name"] for c in page], names[7:10])

	def test_a_manager_sees_everyone(self):
		result = board.get_board(self.filters())
		column = self.column(result, "Request Received")
		self.assertEqual(column["count"], 26)

	def test_moves_by_save_and_refusals(self):
		frappe.set_user(ALICE)
		deal = make_deal(make_company().name, items=[{"catalog_item": self.item, "qty": 1}]).name
		card = board.move_card(deal, "Negotiation")
		self.assertEqual(card["stage"], "Negotiation")
		self.assertEqual(frappe.db.get_value("Deal", deal, "stage"), "Negotiation")
		self.assertEqual(len(frappe.get_doc("Deal", deal).stage_history), 2)
		with self.assertRaises(frappe.ValidationError):
			board.move_card(deal, "Invoice Paid")
		self.assertEqual(frappe.db.get_value("Deal", deal, "stage"), "Negotiation")
		with self.assertRaises(frappe.PermissionError):
			board.move_card(self.bob_deal, "Negotiation")

	def test_opening_writes_nothing(self):
		frappe.set_user(ALICE)
		statements = []
		original = frappe.db.sql

		def watch(query, *args, **kwargs):
			statements.append(str(query).strip().split(None, 1)[0].lower())
			return original(query, *args, **kwargs)

		frappe.db.sql = watch
		try:
			board.get_board()
			board.get_column_page("Request Received", start=20)
			board.get_column_totals()
		finally:
			frappe.db.sql = original
		writes = [s for s in statements if s in ("insert", "update", "delete", "replace")]
		self.assertEqual(writes, [])
		self.assertTrue(statements)
