"""The Deal Pipeline workflow and the stage rules, on every path."""

import json

import frappe
import frappe.client
from frappe.desk.doctype.kanban_board.kanban_board import update_order_for_single_card
from frappe.model.workflow import WorkflowPermissionError, apply_workflow, get_transitions

from crm_app.pipeline import WORKFLOW_NAME
from crm_app.pipeline.board import BOARD_NAME
from crm_app.pipeline.setup import ensure_action, ensure_workflow_state
from crm_app.pipeline.workflow import get_pipeline
from crm_app.tests import CRMTestCase
from crm_app.tests.utils import api_token, make_company, make_deal, make_item, make_user, rest, set_settings

SALES_USER = "crm-pipeline-user@example.com"
MANAGER = "crm-pipeline-manager@example.com"

EXPECTED = {
	# action: (from, to, roles allowed)
	"Start Negotiation": ("Request Received", "Negotiation", {"Sales User", "Sales Manager"}),
	"Issue Invoice": ("Negotiation", "Invoice Issued", {"Sales User", "Sales Manager"}),
	"Confirm Payment": ("Invoice Issued", "Invoice Paid", {"Sales Manager"}),
	"Ship Goods": ("Invoice Paid", "Goods Shipped", {"Sales Manager"}),
	"Mark Lost": ("Negotiation", "Lost", {"Sales User", "Sales Manager"}),
	"Reopen": ("Lost", "Negotiation", {"Sales User", "Sales Manager"}),
	"Back to Negotiation": ("Invoice Issued", "Negotiation", {"Sales User", "Sales Manager"}),
}


def put_at(deal_name: str, stage: str):
	"""Test setup only: place a deal at a stage without going through the rules."""
	frappe.db.set_value("Deal", deal_name, {"stage": stage, "lost_reason": "Other"}, update_modified=False)


class PipelineTestCase(CRMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(SALES_USER, ["Sales User"])
		make_user(MANAGER, ["Sales Manager"])
		# stage rules alone: no ERPNext postings (crm_app/erpnext_integration/tests covers those)
		set_settings(own_deals_only=0, prices_include_vat=0, default_vat_rate=20, erpnext_enabled=0)
		cls.company = make_company().name
		cls.item = make_item(standard_rate=100).name

	def tearDown(self):
		frappe.set_user("Administrator")

	def new_deal(self, **kwargs):
		kwargs.setdefault("items", [{"catalog_item": self.item, "qty": 1}])
		return make_deal(self.company, **kwargs)

	def act(self, deal, action, user):
		frappe.set_user(user)
		try:
			return apply_workflow(frappe.get_doc("Deal", deal.name).as_dict(), action)
		finally:
			frappe.set_user("Administrator")


class TestWorkflow(PipelineTestCase):
	def test_no_workflow_actions_for_deals(self):
		"""The stages are optional states: Frappe opens no Workflow Action for every
		sales user on every deal."""
		deal = self.new_deal()
		self.act(deal, "Start Negotiation", SALES_USER)
		self.assertEqual(
			frappe.db.count("Workflow Action", {"reference_doctype": "Deal", "reference_name": deal.name}), 0
		)
		states = frappe.get_all(
			"Workflow Document State", filters={"parent": WORKFLOW_NAME}, pluck="is_optional_state"
		)
		self.assertTrue(states and all(states))

	def test_a_required_stage_brings_frappes_workflow_actions_back(self):
		"""The app leaves Frappe's Workflow Action hook out only while it could make none."""
		workflow = frappe.get_doc("Workflow", WORKFLOW_NAME)
		for row in workflow.states:
			if row.state == "Negotiation":
				row.is_optional_state = 0
		workflow.save()
		try:
			deal = self.new_deal()
			actions = frappe.get_all(
				"Workflow Action",
				filters={"reference_doctype": "Deal", "reference_name": deal.name, "status": "Open"},
				pluck="name",
			)
			self.assertTrue(actions)
			self.act(deal, "Start Negotiation", SALES_USER)
			self.assertEqual(frappe.db.get_value("Workflow Action", actions[0], "status"), "Completed")
		finally:
			workflow.reload()
			for row in workflow.states:
				row.is_optional_state = 1
			workflow.save()

	def test_workflow_is_installed_with_the_issue_names(self):
		pipeline = get_pipeline()
		self.assertEqual(pipeline.name, WORKFLOW_NAME)
		self.assertEqual(pipeline.state_field, "stage")
		self.assertEqual(pipeline.first_state, "Request Received")
		options = frappe.get_meta("Deal").get_field("stage").options.split("\n")
		self.assertEqual(options, pipeline.states)
		self.assertFalse(frappe.db.exists("Custom Field", {"dt": "Deal", "fieldname": "stage"}))

	def test_new_deal_starts_at_request_received_with_a_history_row(self):
		deal = self.new_deal()
		self.assertEqual(deal.stage, "Request Received")
		self.assertEqual([(r.from_stage, r.stage) for r in deal.stage_history], [(None, "Request Received")])

	def test_every_transition_per_role(self):
		for action, (source, target, roles) in EXPECTED.items():
			for user, role in ((SALES_USER, "Sales User"), (MANAGER, "Sales Manager")):
				with self.subTest(action=action, role=role):
					deal = self.new_deal(lost_reason="Price")
					put_at(deal.name, source)
					if role in roles:
						result = self.act(deal, action, user)
						self.assertEqual(result.stage, target)
						self.assertEqual(frappe.db.get_value("Deal", deal.name, "stage"), target)
					else:
						with self.assertRaises(frappe.ValidationError):
							self.act(deal, action, user)
						self.assertEqual(frappe.db.get_value("Deal", deal.name, "stage"), source)

	def test_mark_lost_from_request_received(self):
		deal = self.new_deal(lost_reason="No Budget")
		self.assertEqual(self.act(deal, "Mark Lost", SALES_USER).stage, "Lost")

	def test_erpnext_roles_only_with_erpnext(self):
		roles = {t.allowed for t in get_pipeline().transitions}
		has_erpnext = "erpnext" in frappe.get_installed_apps()
		self.assertEqual("Accounts User" in roles, has_erpnext)
		self.assertEqual("Stock User" in roles, has_erpnext)

	def test_transitions_offered_to_a_sales_user(self):
		deal = self.new_deal()
		put_at(deal.name, "Invoice Issued")
		frappe.set_user(SALES_USER)
		actions = {t.action for t in get_transitions(frappe.get_doc("Deal", deal.name))}
		self.assertEqual(actions, {"Back to Negotiation"})


class TestStageRules(PipelineTestCase):
	def assert_refused(self, fn, deal_name, stage):
		with self.assertRaises(frappe.ValidationError) as caught:
			fn()
		self.assertEqual(frappe.db.get_value("Deal", deal_name, "stage"), stage)
		return str(caught.exception)

	def test_skipping_is_refused_on_save(self):
		deal = self.new_deal()
		frappe.set_user(SALES_USER)
		doc = frappe.get_doc("Deal", deal.name)
		doc.stage = "Invoice Paid"
		message = self.assert_refused(doc.save, deal.name, "Request Received")
		self.assertIn("Request Received", message)
		self.assertIn("Invoice Paid", message)

	def test_skipping_is_refused_through_set_value(self):
		deal = self.new_deal()
		frappe.set_user(SALES_USER)
		self.assert_refused(
			lambda: frappe.client.set_value("Deal", deal.name, "stage", "Goods Shipped"),
			deal.name,
			"Request Received",
		)

	def test_allowed_move_through_set_value(self):
		deal = self.new_deal()
		frappe.set_user(SALES_USER)
		frappe.client.set_value("Deal", deal.name, "stage", "Negotiation")
		self.assertEqual(frappe.db.get_value("Deal", deal.name, "stage"), "Negotiation")

	def test_kanban_drag_obeys_the_rules(self):
		deal = self.new_deal()
		frappe.set_user(SALES_USER)
		self.assert_refused(
			lambda: update_order_for_single_card(
				BOARD_NAME, deal.name, "Request Received", "Invoice Issued", 0, 0
			),
			deal.name,
			"Request Received",
		)
		update_order_for_single_card(BOARD_NAME, deal.name, "Request Received", "Negotiation", 0, 0)
		self.assertEqual(frappe.db.get_value("Deal", deal.name, "stage"), "Negotiation")

	def test_new_deal_cannot_start_later(self):
		with self.assertRaises(WorkflowPermissionError):
			self.new_deal(stage="Invoice Issued")

	def test_issue_invoice_needs_lines_and_a_total(self):
		empty = self.new_deal(items=[])
		put_at(empty.name, "Negotiation")
		self.assert_refused(lambda: self.act(empty, "Issue Invoice", SALES_USER), empty.name, "Negotiation")
		free = self.new_deal(items=[{"catalog_item": self.item, "qty": 1, "discount_percent": 100}])
		put_at(free.name, "Negotiation")
		self.assert_refused(lambda: self.act(free, "Issue Invoice", SALES_USER), free.name, "Negotiation")

	def test_mark_lost_needs_a_reason(self):
		deal = self.new_deal()
		put_at(deal.name, "Negotiation")
		frappe.db.set_value("Deal", deal.name, "lost_reason", "")
		self.assert_refused(lambda: self.act(deal, "Mark Lost", SALES_USER), deal.name, "Negotiation")
		# a disabled reason is refused too
		frappe.db.set_value("Deal Lost Reason", "Competitor", "disabled", 1)
		frappe.db.set_value("Deal", deal.name, "lost_reason", "Competitor")
		self.assert_refused(lambda: self.act(deal, "Mark Lost", SALES_USER), deal.name, "Negotiation")
		frappe.db.set_value("Deal Lost Reason", "Competitor", "disabled", 0)
		self.assertEqual(self.act(deal, "Mark Lost", SALES_USER).stage, "Lost")

	def test_terms_are_frozen_from_invoice_issued(self):
		deal = self.new_deal()
		put_at(deal.name, "Invoice Issued")
		other_company = make_company().name
		changes = [
			lambda d: setattr(d.items[0], "qty", 5),
			lambda d: setattr(d.items[0], "rate", 1),
			lambda d: setattr(d.items[0], "discount_percent", 10),
			lambda d: d.append("items", {"catalog_item": self.item, "qty": 1}),
			lambda d: d.set("items", []),
			lambda d: setattr(d, "currency", "EUR"),
			lambda d: setattr(d, "client_company", other_company),
		]
		for change in changes:
			doc = frappe.get_doc("Deal", deal.name)
			change(doc)
			with self.assertRaises(frappe.ValidationError):
				doc.save()
		doc = frappe.get_doc("Deal", deal.name)
		doc.notes = "called the client"
		doc.save()  # other fields stay editable

		self.act(deal, "Back to Negotiation", SALES_USER)
		doc = frappe.get_doc("Deal", deal.name)
		doc.items[0].qty = 5
		doc.save()
		self.assertEqual(doc.net_total, 500)


class TestStageHistory(PipelineTestCase):
	def test_rows_on_every_change(self):
		deal = self.new_deal()
		self.act(deal, "Start Negotiation", SALES_USER)
		self.act(deal, "Issue Invoice", SALES_USER)
		history = frappe.get_doc("Deal", deal.name).stage_history
		self.assertEqual(
			[(r.from_stage, r.stage, r.changed_by) for r in history],
			[
				(None, "Request Received", "Administrator"),
				("Request Received", "Negotiation", SALES_USER),
				("Negotiation", "Invoice Issued", SALES_USER),
			],
		)
		self.assertGreaterEqual(history[2].seconds_in_previous_stage, 0)
		self.assertGreaterEqual(history[2].changed_at, history[1].changed_at)

	def test_a_save_without_a_stage_change_adds_no_row(self):
		deal = self.new_deal()
		deal.notes = "x"
		deal.save()
		self.assertEqual(len(deal.stage_history), 1)

	def test_client_edits_to_the_history_are_refused(self):
		deal = self.new_deal()
		self.act(deal, "Start Negotiation", SALES_USER)
		original = [
			(r.name, r.from_stage, r.stage, str(r.changed_at))
			for r in frappe.get_doc("Deal", deal.name).stage_history
		]
		edits = (
			lambda doc: setattr(doc.stage_history[0], "stage", "Goods Shipped"),
			lambda doc: setattr(doc.stage_history[1], "changed_by", MANAGER),
			lambda doc: doc.append("stage_history", {"stage": "Invoice Paid", "from_stage": "Negotiation"}),
			lambda doc: doc.set("stage_history", []),
		)
		for edit in edits:
			doc = frappe.get_doc("Deal", deal.name)
			edit(doc)
			with self.assertRaises(frappe.PermissionError):
				doc.save()
		doc = frappe.get_doc("Deal", deal.name)
		self.assertEqual(
			[(r.name, r.from_stage, r.stage, str(r.changed_at)) for r in doc.stage_history], original
		)


class TestPipelineOverRest(PipelineTestCase):
	"""PUT /api/resource/Deal: no skipping, history not writable. Commits, then cleans up."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.token = api_token(SALES_USER)
		frappe.db.commit()

	def setUp(self):
		self.deal = self.new_deal()
		frappe.db.commit()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.delete_doc("Deal", self.deal.name, force=True)
		frappe.db.commit()

	def test_skipping_refused(self):
		response = rest(
			"put", f"/api/resource/Deal/{self.deal.name}", self.token, json={"stage": "Invoice Paid"}
		)
		self.assertEqual(response.status_code, 417, response.json)
		frappe.db.commit()  # a fresh snapshot: the request ran on its own connection
		self.assertEqual(frappe.db.get_value("Deal", self.deal.name, "stage"), "Request Received")
		response = rest(
			"put", f"/api/resource/Deal/{self.deal.name}", self.token, json={"stage": "Negotiation"}
		)
		self.assertEqual(response.status_code, 200, response.json)
		self.assertEqual(response.json["data"]["stage"], "Negotiation")
		frappe.db.commit()
		self.assertEqual(frappe.db.get_value("Deal", self.deal.name, "stage"), "Negotiation")

	def test_history_is_not_writable(self):
		row = frappe.get_doc("Deal", self.deal.name).stage_history[0]
		payload = {
			"stage_history": [
				{"name": row.name, "stage": "Goods Shipped", "changed_by": MANAGER},
				{"stage": "Invoice Paid", "from_stage": "Negotiation"},
			]
		}
		response = rest("put", f"/api/resource/Deal/{self.deal.name}", self.token, json=payload)
		frappe.db.commit()
		history = frappe.get_all(
			"Deal Stage Log", filters={"parent": self.deal.name}, fields=["name", "stage", "changed_by"]
		)
		self.assertEqual(
			[(h.name, h.stage, h.changed_by) for h in history], [(row.name, row.stage, row.changed_by)]
		)
		self.assertEqual(response.status_code, 403, response.json)
		self.assertIn("stage history", response.json["_server_messages"])


class TestCustomStage(PipelineTestCase):
	"""An administrator inserts Contract Signed between Negotiation and Invoice Issued."""

	def setUp(self):
		self.original = frappe.get_doc("Workflow", WORKFLOW_NAME).as_dict()
		ensure_workflow_state("Contract Signed", "Info")
		ensure_action("Sign Contract")
		workflow = frappe.get_doc("Workflow", WORKFLOW_NAME)
		states = [s.as_dict() for s in workflow.states]
		position = next(i for i, s in enumerate(states) if s.state == "Invoice Issued")
		states.insert(position, {"state": "Contract Signed", "doc_status": "0", "allow_edit": "All"})
		workflow.set("states", [{k: s[k] for k in ("state", "doc_status", "allow_edit")} for s in states])
		for t in workflow.transitions:
			if t.action == "Issue Invoice":
				t.state = "Contract Signed"
		for role in ("Sales User", "Sales Manager"):
			workflow.append(
				"transitions",
				{
					"state": "Negotiation",
					"action": "Sign Contract",
					"next_state": "Contract Signed",
					"allowed": role,
				},
			)
		# as on a live site, the workflow sits in Frappe's document cache when the admin saves
		# it (the cache is refreshed only after the save's on_update hooks)
		get_pipeline()
		workflow.save()

	def tearDown(self):
		frappe.set_user("Administrator")
		workflow = frappe.get_doc("Workflow", WORKFLOW_NAME)
		for key in ("states", "transitions"):
			workflow.set(
				key,
				[{k: v for k, v in row.items() if k not in ("name", "parent")} for row in self.original[key]],
			)
		workflow.save()
		frappe.db.commit()

	def test_custom_stage_everywhere_and_after_migrate(self):
		from frappe.model.sync import sync_for

		from crm_app.analytics.probability import ensure_stage_rows
		from crm_app.crm_app.report.sales_funnel.sales_funnel import execute
		from crm_app.patches.v0_1.create_deal_pipeline import execute as pipeline_patch

		# what `bench migrate` does to the app's records: DocTypes and standard files re-synced,
		# the pipeline patch (re-)run
		sync_for("crm_app", force=True)
		pipeline_patch()
		ensure_stage_rows()  # what after_migrate does for the forecast
		frappe.clear_cache()

		expected = ["Request Received", "Negotiation", "Contract Signed", "Invoice Issued"]
		self.assertEqual(get_pipeline().states[:4], expected)
		self.assertEqual(frappe.get_meta("Deal").get_field("stage").options.split("\n")[:4], expected)
		board = frappe.get_doc("Kanban Board", BOARD_NAME)
		self.assertEqual([c.column_name for c in board.columns if c.status == "Active"][:4], expected)
		# the forecast has a probability row for the new stage: the value of the stage before it
		rows = {r.stage: r.probability for r in frappe.get_single("CRM App Settings").stage_probabilities}
		self.assertEqual(rows.get("Contract Signed"), rows["Negotiation"])

		deal = self.new_deal()
		self.act(deal, "Start Negotiation", SALES_USER)
		with self.assertRaises(frappe.ValidationError):
			self.act(deal, "Issue Invoice", SALES_USER)  # only from Contract Signed now
		self.act(deal, "Sign Contract", SALES_USER)
		self.act(deal, "Issue Invoice", SALES_USER)
		self.assertEqual(frappe.db.get_value("Deal", deal.name, "stage"), "Invoice Issued")

		_columns, data, *_ = execute({"client_company": self.company, "currency": "RUB"})
		rows = {r["stage_name"]: r for r in data}
		self.assertEqual([r["stage_name"] for r in data][:4], expected)
		self.assertGreaterEqual(rows["Contract Signed"]["reached"], 1)
		self.assertEqual(rows["Invoice Issued"]["conversion"], 100.0)


class TestBoard(PipelineTestCase):
	def test_board_columns_follow_the_workflow(self):
		board = frappe.get_doc("Kanban Board", BOARD_NAME)
		self.assertEqual(board.reference_doctype, "Deal")
		self.assertEqual(board.field_name, "stage")
		active = [c.column_name for c in board.columns if c.status == "Active"]
		self.assertEqual(active, get_pipeline().states)
		self.assertEqual(set(json.loads(board.fields)), {"client_company", "grand_total", "responsible"})

	def test_column_totals_respect_permissions(self):
		from crm_app.pipeline.board import get_column_totals

		set_settings(own_deals_only=1)
		mine = self.new_deal(responsible=SALES_USER)
		self.new_deal()
		filters = [["Deal", "client_company", "=", self.company]]
		all_totals = get_column_totals(filters)
		frappe.set_user(SALES_USER)
		own_totals = get_column_totals(filters)
		self.assertEqual(own_totals["Request Received"]["count"], 1)
		self.assertEqual(own_totals["Request Received"]["amounts"], {"RUB": mine.grand_total})
		self.assertGreater(all_totals["Request Received"]["count"], 1)

	def test_own_totals_from_the_indexes_match_the_permission_query(self):
		from crm_app.pipeline.board import get_column_totals

		set_settings(own_deals_only=1)
		self.new_deal(responsible=SALES_USER)
		frappe.set_user(SALES_USER)
		owned = self.new_deal(responsible=MANAGER)  # owner, someone else responsible
		frappe.set_user("Administrator")
		self.new_deal()  # neither
		frappe.set_user(SALES_USER)
		fast = get_column_totals()
		slow = get_column_totals([["Deal", "name", "is", "set"]])  # the permission query path
		self.assertEqual(fast, slow)
		self.assertGreaterEqual(fast["Request Received"]["count"], 2)
		self.assertTrue(frappe.has_permission("Deal", "read", owned.name))
