"""Sales Users see only their own deals: lists, documents, link search and REST."""

import frappe
import frappe.client
from frappe.desk.search import search_link

from crm_app.tests import CRMTestCase
from crm_app.tests.utils import api_token, make_company, make_deal, make_user, rest, set_settings

ALICE = "crm-alice@example.com"
BOB = "crm-bob@example.com"
MANAGER = "crm-manager@example.com"


class TestDealPermissions(CRMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(ALICE, ["Sales User"])
		make_user(BOB, ["Sales User"])
		make_user(MANAGER, ["Sales Manager"])
		set_settings(own_deals_only=1)
		company = make_company()
		frappe.set_user(ALICE)
		cls.alice_deal = make_deal(company.name, items=[]).name
		frappe.set_user(BOB)
		cls.bob_deal = make_deal(company.name, items=[]).name
		frappe.set_user("Administrator")
		cls.assigned_deal = make_deal(company.name, items=[], responsible=ALICE).name

	def tearDown(self):
		frappe.set_user("Administrator")
		set_settings(own_deals_only=1)

	def visible_deals(self, user):
		frappe.set_user(user)
		return set(frappe.get_list("Deal", pluck="name", limit_page_length=0))

	def test_list_shows_only_own_deals(self):
		alice_sees = self.visible_deals(ALICE)
		self.assertIn(self.alice_deal, alice_sees)
		self.assertIn(self.assigned_deal, alice_sees)
		self.assertNotIn(self.bob_deal, alice_sees)
		self.assertNotIn(self.alice_deal, self.visible_deals(BOB))

	def test_manager_and_setting_off_see_everything(self):
		self.assertTrue({self.alice_deal, self.bob_deal} <= self.visible_deals(MANAGER))
		set_settings(own_deals_only=0)
		self.assertIn(self.bob_deal, self.visible_deals(ALICE))

	def test_document_access_and_change(self):
		frappe.set_user(ALICE)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc("Deal", self.bob_deal).check_permission("read")
		self.assertFalse(frappe.has_permission("Deal", "write", self.bob_deal))
		with self.assertRaises(frappe.PermissionError):
			frappe.client.set_value("Deal", self.bob_deal, "notes", "hijacked")
		self.assertTrue(frappe.has_permission("Deal", "write", self.alice_deal))

	def test_hook_answers_explicitly(self):
		"""Both answers of the has_permission hook are booleans: Frappe 16 reads None as a
		refusal, so an unrestricted user must get True, a restricted one True or False."""
		from crm_app.permissions import deal as deal_permissions

		alice_doc = frappe.get_doc("Deal", self.alice_deal)
		bob_doc = frappe.get_doc("Deal", self.bob_deal)
		self.assertIs(deal_permissions.has_permission(bob_doc, "write", MANAGER), True)
		self.assertIs(deal_permissions.has_permission(alice_doc, "write", ALICE), True)
		self.assertIs(deal_permissions.has_permission(bob_doc, "write", ALICE), False)
		set_settings(own_deals_only=0)
		self.assertIs(deal_permissions.has_permission(bob_doc, "write", ALICE), True)
		# and through Frappe's own check, for a manager (no opinion of the hook must not deny)
		frappe.set_user(MANAGER)
		self.assertTrue(frappe.has_permission("Deal", "write", self.bob_deal))
		frappe.get_doc("Deal", self.bob_deal).check_permission("write")

	def test_link_search(self):
		frappe.set_user(ALICE)
		found = {r["value"] for r in search_link("Deal", "")}
		self.assertIn(self.alice_deal, found)
		self.assertNotIn(self.bob_deal, found)


class TestDealRestPermissions(CRMTestCase):
	"""Through the HTTP API: needs committed data, so it cleans up after itself."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(ALICE, ["Sales User"])
		make_user(BOB, ["Sales User"])
		set_settings(own_deals_only=1)
		company = make_company()
		frappe.set_user(BOB)
		cls.bob_deal = make_deal(company.name, items=[]).name
		frappe.set_user(ALICE)
		cls.alice_deal = make_deal(company.name, items=[]).name
		frappe.set_user("Administrator")
		cls.company = company.name
		cls.token = api_token(ALICE)
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		for name in (cls.alice_deal, cls.bob_deal):
			frappe.delete_doc("Deal", name, force=True)
		frappe.delete_doc("Client Company", cls.company, force=True)
		frappe.db.commit()
		super().tearDownClass()

	def test_rest_get_and_update(self):
		self.assertEqual(rest("get", f"/api/resource/Deal/{self.alice_deal}", self.token).status_code, 200)
		self.assertEqual(rest("get", f"/api/resource/Deal/{self.bob_deal}", self.token).status_code, 403)
		response = rest("put", f"/api/resource/Deal/{self.bob_deal}", self.token, json={"notes": "hijacked"})
		self.assertEqual(response.status_code, 403)
		frappe.db.commit()  # a fresh snapshot: the request ran on its own connection
		self.assertNotEqual(frappe.db.get_value("Deal", self.bob_deal, "notes"), "hijacked")
		listed = rest("get", "/api/resource/Deal", self.token, query_string={"limit_page_length": 0}).json
		names = {row["name"] for row in listed["data"]}
		self.assertIn(self.alice_deal, names)
		self.assertNotIn(self.bob_deal, names)


class TestWorkflowReaders(CRMTestCase):
	"""Frappe 16's desk reads the Workflow record before it applies an action: the roles
	holding transitions may read it there, and nothing is granted on Frappe 15."""

	def test_transition_roles_read_the_workflow_where_the_desk_needs_it(self):
		from frappe.client import get_value

		from crm_app.compat import workflow_actions_read_the_workflow
		from crm_app.pipeline.setup import (
			WORKFLOW_READERS_KEY,
			let_transition_roles_read_workflows,
			remove_workflow_readers,
		)

		let_transition_roles_read_workflows()
		record = frappe.parse_json(frappe.db.get_global(WORKFLOW_READERS_KEY) or "{}") or {}
		user = make_user("crm-workflow-reader@example.com", ["Sales User"])
		frappe.set_user(user)
		try:
			if workflow_actions_read_the_workflow():
				self.assertIn("Sales User", record.get("roles") or [])
				# what the desk asks when the user clicks "Start Negotiation"
				found = get_value("Workflow", "enable_action_confirmation", {"document_type": "Deal"})
				self.assertIn("enable_action_confirmation", found)
			else:
				self.assertFalse(record.get("roles"))
				self.assertFalse(frappe.has_permission("Workflow", "read"))
		finally:
			frappe.set_user("Administrator")
		if workflow_actions_read_the_workflow():
			# uninstall takes back what was granted, and Frappe's copy of the standard rules
			remove_workflow_readers()
			granted = frappe.get_all("Custom DocPerm", filters={"parent": "Workflow"}, pluck="role")
			self.assertNotIn("Sales User", granted)
			if not record.get("had_custom_perms"):
				self.assertEqual(granted, [])
			let_transition_roles_read_workflows()
