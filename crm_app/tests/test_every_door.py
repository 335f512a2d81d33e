"""The product's promises through every door Frappe opens besides the form: the list
sidebar's counts, bulk edit, set_value, REST, Data Import, a repeated web request, the
mailbox's threading, the database's own unique key. (The same doors under several
clients at once: .ci/concurrency-tests.)"""

import json

import frappe
import frappe.client
from frappe.desk.form.assign_to import add as assign

from crm_app.clients.requisites import requisites_key
from crm_app.permissions import doors
from crm_app.tests import CRMTestCase
from crm_app.tests.test_mailbox import INBOX, MailboxTestCase, raw_mail
from crm_app.tests.utils import (
	api_token,
	import_csv,
	make_company,
	make_contact,
	make_deal,
	make_user,
	random_inn,
	rest,
	set_settings,
)

ALICE = "crm-door-alice@example.com"
BOB = "crm-door-bob@example.com"
MANAGER = "crm-door-manager@example.com"


class TestSidebarCounts(CRMTestCase):
	"""The list sidebar's "Assigned To" counts keep the own-deals rule (Frappe 15 counted
	every deal matching the filters: a filter on the amount told a hidden deal's total)."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(ALICE, ["Sales User"])
		make_user(BOB, ["Sales User"])
		set_settings(own_deals_only=1)
		company = make_company()
		cls.company = company.name
		frappe.set_user(ALICE)
		cls.alice_deal = make_deal(company.name, items=[]).name
		frappe.set_user(BOB)
		cls.bob_deal = make_deal(company.name, items=[], notes="secret").name
		frappe.set_user("Administrator")
		for deal in (cls.alice_deal, cls.bob_deal):
			assign({"doctype": "Deal", "name": deal, "assign_to": [BOB]})
		cls.token = api_token(ALICE)
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		frappe.db.delete(
			"ToDo", {"reference_type": "Deal", "reference_name": ("in", [cls.alice_deal, cls.bob_deal])}
		)
		for name in (cls.alice_deal, cls.bob_deal):
			frappe.delete_doc("Deal", name, force=True)
		frappe.delete_doc("Client Company", cls.company, force=True)
		frappe.db.commit()
		super().tearDownClass()

	def tearDown(self):
		frappe.set_user("Administrator")

	def counts(self, filters=None) -> dict:
		# this class's deals only: other deals of the site may be assigned to anyone
		filters = [["Deal", "client_company", "=", self.company], *(filters or [])]
		response = rest(
			"get",
			"/api/method/frappe.desk.listview.get_group_by_count",
			self.token,
			query_string={
				"doctype": "Deal",
				"current_filters": json.dumps(filters),
				"field": "assigned_to",
			},
		)
		self.assertEqual(response.status_code, 200, response.data)
		return {row["name"]: row["count"] for row in response.json["message"]}

	def test_assigned_to_counts_only_visible_deals(self):
		# Bob has both deals assigned; Alice may see only hers
		self.assertEqual(self.counts(), {BOB: 1})
		self.assertEqual(self.counts([["Deal", "name", "=", self.bob_deal]]), {})
		self.assertEqual(self.counts([["Deal", "notes", "like", "%secret%"]]), {})
		# a manager sees both
		frappe.set_user("Administrator")
		mine = json.dumps([["Deal", "client_company", "=", self.company]])
		everyone = {r.name: r.count for r in doors.get_group_by_count("Deal", mine, "assigned_to")}
		self.assertEqual(everyone, {BOB: 2})

	def test_other_sidebar_counts_keep_the_rule(self):
		frappe.set_user(ALICE)
		owners = {r.name: r.count for r in doors.get_group_by_count("Deal", "[]", "owner")}
		self.assertNotIn(BOB, owners)
		self.assertEqual(frappe.client.get_count("Deal", {"name": self.bob_deal}), 0)


class TestOwnedFields(CRMTestCase):
	"""Fields the app or the ledger owns are written only by the app: refused on every
	path, nothing saved."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(ALICE, ["Sales User"])
		set_settings(own_deals_only=1)

	def tearDown(self):
		frappe.set_user("Administrator")

	def new_deal(self):
		frappe.set_user(ALICE)
		deal = make_deal(make_company().name, items=[])
		deal.reload()
		return deal

	def test_stage_facts_and_numbers_refused_on_save_and_set_value(self):
		deal = self.new_deal()
		for fieldname, value in (
			("paid_at", "2025-01-01 10:00:00"),
			("stage_entered_at", "2020-01-01 10:00:00"),
			("funnel_key", 99),
			("transfer_document_number", "UPD-1"),
			("completion_act_date", "2025-01-01"),
		):
			with self.subTest(fieldname), self.assertRaises(frappe.PermissionError):
				frappe.client.set_value("Deal", deal.name, fieldname, value)
			stored = frappe.db.get_value("Deal", deal.name, fieldname)
			self.assertNotEqual(str(stored or ""), str(value))

	def test_history_rows_refused(self):
		deal = self.new_deal()
		doc = frappe.get_doc("Deal", deal.name)
		doc.stage_history[0].changed_by = "Administrator"
		with self.assertRaises(frappe.PermissionError):
			doc.save()
		doc = frappe.get_doc("Deal", deal.name)
		doc.append("stage_history", {"from_stage": "Negotiation", "stage": "Invoice Paid"})
		with self.assertRaises(frappe.PermissionError):
			doc.save()
		self.assertEqual(len(frappe.get_doc("Deal", deal.name).stage_history), 1)

	def test_history_row_saved_on_its_own_refused(self):
		deal = self.new_deal()
		row = frappe.get_doc("Deal Stage Log", deal.stage_history[0].name)
		row.changed_by = "Administrator"
		with self.assertRaises(frappe.PermissionError):
			row.save()
		with self.assertRaises(frappe.PermissionError):
			row.delete()
		self.assertEqual(frappe.db.get_value("Deal Stage Log", row.name, "changed_by"), ALICE)

	def test_bulk_edit_refused_and_the_rest_goes_on(self):
		deal = self.new_deal()
		other = self.new_deal()
		result = frappe.client.bulk_update(
			json.dumps(
				[
					{"doctype": "Deal", "docname": deal.name, "paid_at": "2025-01-01 00:00:00"},
					{"doctype": "Deal", "docname": other.name, "notes": "bulk"},
				]
			)
		)
		self.assertEqual([f["doc"]["docname"] for f in result["failed_docs"]], [deal.name])
		self.assertIsNone(frappe.db.get_value("Deal", deal.name, "paid_at"))
		self.assertEqual(frappe.db.get_value("Deal", other.name, "notes"), "bulk")

	def test_a_new_deal_cannot_bring_facts(self):
		frappe.set_user(ALICE)
		with self.assertRaises(frappe.PermissionError):
			make_deal(make_company().name, items=[], lost_at="2025-01-01 00:00:00")

	def test_data_import_update_refused(self):
		deal = self.new_deal()
		frappe.set_user("Administrator")
		import_csv("Deal", f"ID,Paid At\n{deal.name},2025-01-01 10:00:00\n", "Update Existing Records")
		self.assertIsNone(frappe.db.get_value("Deal", deal.name, "paid_at"))

	def test_saving_the_form_as_it_came_passes(self):
		deal = self.new_deal()
		doc = frappe.get_doc(frappe.get_doc("Deal", deal.name).as_dict())  # what the form sends back
		doc.notes = "called"
		doc.save()
		self.assertEqual(frappe.db.get_value("Deal", deal.name, "notes"), "called")

	def test_a_form_opened_before_the_print_keeps_the_numbers(self):
		deal = self.new_deal()
		stale = frappe.get_doc("Deal", deal.name)
		# the print numbers the document outside a save of the deal (documents.closing)
		frappe.db.set_value(
			"Deal",
			deal.name,
			{"transfer_document_number": "UPD-7", "transfer_document_date": "2026-12-01"},
			update_modified=False,
		)
		stale.notes = "after the print"
		stale.save()
		stored = frappe.db.get_value("Deal", deal.name, ["transfer_document_number", "notes"])
		self.assertEqual(stored, ("UPD-7", "after the print"))
		stale = frappe.get_doc("Deal", deal.name)
		stale.transfer_document_number = "UPD-8"
		with self.assertRaises(frappe.PermissionError):
			stale.save()

	def test_deal_cannot_be_renamed(self):
		deal = self.new_deal()
		frappe.set_user("Administrator")
		with self.assertRaises(frappe.ValidationError):
			frappe.rename_doc("Deal", deal.name, deal.name + "-X")


class TestDatabaseKeepsOneCompanyPerInn(CRMTestCase):
	def test_unique_key_refuses_what_the_check_would(self):
		inn = random_inn()
		first = make_company(inn=inn)
		self.assertEqual(first.requisites_key, requisites_key(inn, first.kpp))
		second = frappe.get_doc({"doctype": "Client Company", "company_name": "Twin", "inn": inn})
		second.validate_duplicate_inn = lambda: None  # two saves at once both pass the check
		frappe.db.savepoint("twin")
		with self.assertRaises(frappe.DuplicateEntryError):
			second.insert()
		frappe.db.rollback(save_point="twin")
		self.assertEqual(frappe.db.count("Client Company", {"inn": inn}), 1)

	def test_branches_keep_their_own_keys(self):
		inn = random_inn()
		head = make_company(inn=inn, kpp="771001001")
		branch = make_company(inn=inn, kpp="771002001")
		self.assertNotEqual(head.requisites_key, branch.requisites_key)

	def test_legacy_duplicates_keep_no_key(self):
		from crm_app.patches.v0_5.client_company_requisites_key import execute

		inn = random_inn()
		first = make_company(inn=inn)
		second = make_company(inn=random_inn())
		# what an older version let in: a second record of the same INN, no key yet
		frappe.db.set_value(
			"Client Company", second.name, {"inn": inn, "kpp": first.kpp, "requisites_key": None}
		)
		frappe.db.set_value("Client Company", first.name, "requisites_key", None)
		execute()
		self.assertEqual(
			frappe.db.get_value("Client Company", first.name, "requisites_key"),
			requisites_key(inn, first.kpp),
		)
		self.assertIsNone(frappe.db.get_value("Client Company", second.name, "requisites_key"))


class TestRepeatedWebRequest(CRMTestCase):
	def send(self, values):
		frappe.set_user("Guest")
		try:
			doc = frappe.get_doc({"doctype": "Client Request", **values})
			doc.insert(ignore_permissions=True)
			return doc
		finally:
			frappe.set_user("Administrator")

	def test_the_same_request_twice_is_one_request(self):
		email = f"twice-{frappe.generate_hash(length=6)}@client.test"
		values = {"full_name": "Ivan Petrov", "email": email, "inn": random_inn(), "message": "Need 5 pumps"}
		first = self.send(values)
		second = self.send(values)
		self.assertEqual(second.name, first.name)
		self.assertEqual(second.deal, first.deal)
		self.assertEqual(frappe.db.count("Client Request", {"email": email}), 1)
		self.assertEqual(frappe.db.count("Client Contact", {"email": email}), 1)
		self.assertEqual(frappe.db.count("Client Company", {"inn": values["inn"]}), 1)
		self.assertEqual(frappe.db.count("Deal", {"client_company": first.client_company}), 1)
		# other words are another request
		third = self.send({**values, "message": "And 2 filters"})
		self.assertNotEqual(third.deal, first.deal)


class TestMailThreading(MailboxTestCase):
	def first_mail(self, subject: str):
		sender = f"client-{frappe.generate_hash(length=6)}@client.test"
		message_id, raw = raw_mail(sender, subject, "Hello")
		deal = self.receive(raw).reference_name
		return sender, message_id, deal

	def test_a_stranger_naming_a_deal_opens_a_new_request(self):
		_, _, deal = self.first_mail("Pumps for the plant")
		stranger = f"stranger-{frappe.generate_hash(length=6)}@other.test"
		_, raw = raw_mail(stranger, f"Re: anything (#{deal})", "Let me in")
		landed = self.receive(raw).reference_name
		self.assertNotEqual(landed, deal)
		self.assertEqual(frappe.db.get_value("Deal", landed, "contact_email"), stranger)

	def test_a_subject_inside_an_older_title_opens_a_new_request(self):
		sender, _, deal = self.first_mail("Pumps for the plant in Tula")
		_, raw = raw_mail(sender, "Pumps", "Another thing")
		self.assertNotEqual(self.receive(raw).reference_name, deal)

	def test_same_subject_from_the_company_threads_in(self):
		sender, message_id, deal = self.first_mail("Valves for the boiler room")
		company = frappe.db.get_value("Deal", deal, "client_company")
		colleague = make_contact(company, email=f"colleague-{frappe.generate_hash(length=6)}@client.test")
		_, raw = raw_mail(colleague.email, "RE: Valves for the boiler room", "Also 3 more")
		self.assertEqual(self.receive(raw).reference_name, deal)
		# a real reply threads in whatever its subject
		_, raw = raw_mail(sender, "changed subject", "see above", in_reply_to=message_id)
		self.assertEqual(self.receive(raw).reference_name, deal)

	def test_the_inbox_is_ours(self):
		self.assertEqual(self.account.email_id, INBOX)


class TestSalesManagerImports(CRMTestCase):
	"""The README's historical import, by the role it names, through Frappe's Data Import."""

	def test_sales_manager_imports_historical_deals(self):
		make_user(MANAGER, ["Sales Manager"])
		company = make_company()
		frappe.set_user(MANAGER)
		try:
			self.assertTrue(frappe.has_permission("Data Import", "create"))
			title = f"Historical {frappe.generate_hash(length=6)}"
			import_csv(
				"Deal",
				"Title,Client Company,Stage,Stage Entered At\n"
				f"{title},{company.name},Negotiation,2025-03-01 10:00:00\n",
			)
			stage = frappe.db.get_value("Deal", {"title": title}, "stage")
			self.assertEqual(stage, "Negotiation")
			# a Sales Manager cannot import what they may not import
			with self.assertRaises((frappe.PermissionError, frappe.ValidationError)):
				frappe.get_doc(
					{
						"doctype": "Data Import",
						"reference_doctype": "User",
						"import_type": "Insert New Records",
					}
				).insert()
		finally:
			frappe.set_user("Administrator")


class TestEveryDoorOverHttp(CRMTestCase):
	"""Every Frappe method that reads rows, called over HTTP by a Sales User restricted to
	their own deals, about a deal they may not see: nothing of it comes back (README › Row
	rules on every door)."""

	@classmethod
	def setUpClass(cls):
		from frappe.desk.doctype.tag.tag import add_tag

		from crm_app.tests.utils import make_item

		super().setUpClass()
		make_user(ALICE, ["Sales User"])
		make_user(BOB, ["Sales User"])
		set_settings(own_deals_only=1)
		cls.word = f"Zebra{frappe.generate_hash(length=6)}"
		cls.company = make_company().name
		item = make_item(standard_rate=4321).name
		frappe.set_user(ALICE)
		cls.alice_deal = make_deal(cls.company, items=[], title=f"Alice {cls.word}").name
		frappe.set_user(BOB)
		cls.bob_deal = make_deal(
			cls.company, items=[{"catalog_item": item, "qty": 1}], title=f"Bob {cls.word}"
		).name
		frappe.set_user("Administrator")
		add_tag(cls.word, "Deal", cls.bob_deal)
		frappe.set_user(ALICE)
		cls.todo = (
			frappe.get_doc(
				{
					"doctype": "ToDo",
					"description": "look",
					"allocated_to": ALICE,
					"assigned_by": ALICE,
					"reference_type": "Deal",
					"reference_name": cls.bob_deal,
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
		frappe.set_user("Administrator")
		cls.token = api_token(ALICE)
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		frappe.delete_doc("ToDo", cls.todo, force=True)
		for name in (cls.alice_deal, cls.bob_deal):
			frappe.delete_doc("Deal", name, force=True)
		frappe.db.commit()
		super().tearDownClass()

	def call(self, method: str, http: str = "get", **params):
		if http == "get":
			return rest("get", f"/api/method/{method}", self.token, query_string=params)
		return rest("post", f"/api/method/{method}", self.token, json=params)

	def assert_hidden(self, response, status: int = 200):
		self.assertEqual(response.status_code, status, response.data[:500])
		text = response.data.decode()
		self.assertNotIn(self.bob_deal, text)
		self.assertNotIn(f"Bob {self.word}", text)

	def test_search_and_titles(self):
		for method in ("frappe.desk.search.search_link", "frappe.desk.search.search_widget"):
			with self.subTest(method):
				response = self.call(method, doctype="Deal", txt=self.word, ignore_user_permissions=1)
				self.assert_hidden(response)
				self.assertIn(self.alice_deal, response.data.decode())
		response = self.call("frappe.desk.search.get_link_title", doctype="Deal", docname=self.bob_deal)
		self.assertEqual(response.json["message"], self.bob_deal)
		self.assert_hidden(self.call("frappe.utils.global_search.search", text=self.word, doctype="Deal"))

	def test_counts_and_aggregates(self):
		self.assert_hidden(
			self.call(
				"frappe.workflow.doctype.workflow.workflow.get_workflow_state_count",
				doctype="Deal",
				workflow_state_field="title",
				states='["~"]',
			)
		)
		stages = self.call(
			"frappe.workflow.doctype.workflow.workflow.get_workflow_state_count",
			doctype="Deal",
			workflow_state_field="stage",
			states='["~"]',
		).json["message"]
		self.assertEqual(
			sum(r["count"] for r in stages),
			frappe.db.count("Deal", {"owner": ALICE})
			+ frappe.db.count("Deal", {"responsible": ALICE, "owner": ("!=", ALICE)}),
		)
		self.assert_hidden(
			self.call("frappe.desk.doctype.tag.tag.get_tagged_docs", doctype="Deal", tag=f"%{self.word}%")
		)
		counts = self.call(
			"frappe.desk.notifications.get_open_count", doctype="Client Company", name=self.company
		).json
		deal_counts = [
			row.get("count")
			for row in frappe.parse_json(json.dumps(counts))["message"]["count"]["external_links_found"]
			if row["doctype"] == "Deal"
		]
		self.assertEqual(deal_counts, [1])
		response = self.call(
			"frappe.client.get_count", doctype="Deal", filters=json.dumps({"name": self.bob_deal})
		)
		self.assertEqual(response.json["message"], 0)
		total = self.call(
			"frappe.desk.reportview.get",
			doctype="Deal",
			fields=json.dumps(["count(name) as n"]),
			filters=json.dumps([["Deal", "title", "like", f"%{self.word}%"]]),
		)
		if total.status_code == 200:  # Frappe 16 refuses SQL functions written as text
			self.assertIn("1", json.dumps(total.json["message"]))
		# a child table's rows by their parent type (Frappe 15 applied only the child's rule)
		rows = self.call(
			"frappe.client.get_list", doctype="Deal Item", parent="Deal", fields=json.dumps(["parent"])
		)
		self.assert_hidden(rows, rows.status_code)

	def test_documents_by_side_doors(self):
		self.assertEqual(
			self.call(
				"frappe.desk.form.utils.get_next", doctype="Deal", value=self.bob_deal, prev=0
			).status_code,
			403,
		)
		hidden = self.call("frappe.client.get", doctype="Deal", filters=json.dumps({"name": self.bob_deal}))
		missing = self.call("frappe.client.get", doctype="Deal", filters=json.dumps({"name": "DEAL-NONE"}))
		self.assertEqual(hidden.status_code, missing.status_code)
		self.assert_hidden(hidden, hidden.status_code)
		response = self.call(
			"frappe.desk.doctype.kanban_board.kanban_board.update_order",
			http="post",
			board_name="Deals by Stage",
			order=json.dumps({"Negotiation": [self.bob_deal]}),
		)
		self.assertEqual(response.status_code, 403)
		self.assertEqual(
			self.call(
				"frappe.desk.form.document_follow.update_follow",
				http="post",
				doctype="Deal",
				doc_name=self.bob_deal,
				following=1,
			).status_code,
			403,
		)
		chart = {"document_type": "Deal", "type": "Heatmap", "chart_type": "Count", "based_on": "creation"}
		self.assertEqual(
			self.call(
				"frappe.desk.doctype.dashboard_chart.dashboard_chart.get", chart=json.dumps(chart), no_cache=1
			).status_code,
			403,
		)

	def test_rest_routes(self):
		response = rest(
			"get", f"/api/resource/ToDo/{self.todo}", self.token, query_string={"expand_links": 1}
		)
		self.assertEqual(response.status_code, 200)
		self.assertNotIn(f"Bob {self.word}", response.data.decode())
		response = rest(
			"get",
			"/api/resource/Client Request",
			self.token,
			query_string={"fields": json.dumps(["name", "deal.title"])},
		)
		self.assertEqual(response.status_code, 403)
		listed = rest(
			"get",
			"/api/resource/Deal",
			self.token,
			query_string={"filters": json.dumps([["title", "like", f"%{self.word}%"]])},
		)
		self.assert_hidden(listed)
