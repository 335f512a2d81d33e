"""A stage change has the same consequences whatever moved it.

The consequences: the stage history row (who, and the voucher when a fact recorded in
ERPNext moved the deal), the funnel facts, the next-contact ToDo, the standard
Notifications (the client's letters, the responsible's notification), SMS (after the
commit) and, for user-made moves only, the postings to ERPNext. The ways: a workflow
action, a form save, a board drag, `frappe.client.set_value`, REST, Data Import, and each
ERPNext voucher (crm_app/erpnext_integration/tests/test_ledger_moves.py).
"""

import random
import threading
from http.server import HTTPServer

import frappe
import frappe.client
from frappe.desk.doctype.kanban_board.kanban_board import update_order_for_single_card
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, get_datetime, nowdate

from crm_app.pipeline.board import BOARD_NAME
from crm_app.pipeline.facts import decode_stage_set
from crm_app.pipeline.stages import PAID_STAGES
from crm_app.tests import CRMTestCase
from crm_app.tests.test_notifications import outgoing_account
from crm_app.tests.test_sms import RECEIVED, Gateway, configure_gateway
from crm_app.tests.utils import (
	api_token,
	import_csv,
	make_company,
	make_contact,
	make_deal,
	make_item,
	make_user,
	rest,
	set_settings,
)

SALES_USER = "crm-consequences-user@example.com"
MANAGER = "crm-consequences-manager@example.com"

# what a deal arriving at a stage sends: client letters, responsible notifications, SMS
LETTERS = {"Invoice Issued": 1, "Invoice Paid": 1, "Goods Shipped": 1}
NOTIFIED = {"Invoice Paid": 1}
SMS = {"Invoice Issued": 1, "Goods Shipped": 1}
CLOSED = ("Goods Shipped", "Lost")


def mails_for(deal: str) -> list[dict]:
	return frappe.get_all(
		"Email Queue",
		filters={"reference_doctype": "Deal", "reference_name": deal},
		fields=["name", "attachments"],
	)


def notifications_for(deal: str, user: str) -> int:
	return frappe.db.count(
		"Notification Log", {"document_type": "Deal", "document_name": deal, "for_user": user}
	)


def open_todos(deal: str) -> int:
	return frappe.db.count("ToDo", {"reference_type": "Deal", "reference_name": deal, "status": "Open"})


class ConsequencesTestCase(CRMTestCase):
	"""A deal whose contact agreed to e-mail and SMS, with a responsible and a next contact
	date; `observe` before a move and `assert_moved` after it check every consequence."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		outgoing_account()
		cls.server = HTTPServer(("127.0.0.1", 0), Gateway)
		threading.Thread(target=cls.server.serve_forever, daemon=True).start()
		configure_gateway(f"http://127.0.0.1:{cls.server.server_port}/send")
		make_user(SALES_USER, ["Sales User"])
		make_user(MANAGER, ["Sales Manager"])
		set_settings(own_deals_only=0, erpnext_enabled=0, default_phone_region="RU")
		cls.item = make_item(item_type="Service", standard_rate=100).name

	@classmethod
	def tearDownClass(cls):
		cls.server.shutdown()
		super().tearDownClass()

	def tearDown(self):
		frappe.set_user("Administrator")

	def new_deal(self, **kwargs):
		company = make_company().name
		contact = make_contact(
			company,
			email=f"client-{frappe.generate_hash(length=8)}@example.com",
			email_opt_in=1,
			mobile="+7916" + "".join(random.choices("0123456789", k=7)),
			sms_opt_in=1,
		)
		kwargs.setdefault("items", [{"catalog_item": self.item, "qty": 1}])
		kwargs.setdefault("currency", "RUB")
		return make_deal(
			company,
			contact=contact.name,
			responsible=SALES_USER,
			next_contact_date=add_days(nowdate(), 3),
			**kwargs,
		)

	def observe(self, deal: str) -> dict:
		frappe.db.after_commit.reset()
		RECEIVED.clear()
		return {
			"history": len(frappe.get_all("Deal Stage Log", filters={"parent": deal})),
			"mails": len(mails_for(deal)),
			"notified": notifications_for(deal, SALES_USER),
		}

	def assert_moved(
		self,
		deal: str,
		before: dict,
		from_stage: str,
		to_stage: str,
		by: str = "Administrator",
		reference: tuple[str, str] | None = None,
		committed: bool = False,
		sms: bool = True,
	):
		"""Every consequence of one move from `from_stage` to `to_stage`."""
		doc = frappe.get_doc("Deal", deal)
		self.assertEqual(doc.stage, to_stage)
		# history: one row for this move, naming who and (for a fact) the voucher
		self.assertEqual(len(doc.stage_history), before["history"] + 1)
		last = doc.stage_history[-1]
		self.assertEqual((last.from_stage, last.stage, last.changed_by), (from_stage, to_stage, by))
		self.assertEqual((last.reference_doctype, last.reference_name), reference or (None, None))
		# funnel facts
		self.assertIn(to_stage, decode_stage_set(doc.reached_stages))
		self.assertIn(from_stage, decode_stage_set(doc.left_stages))
		self.assertEqual(get_datetime(doc.stage_entered_at), get_datetime(last.changed_at))
		self.assertEqual(bool(doc.paid_at), to_stage in PAID_STAGES)
		# letters and the responsible's notification, once
		mails = mails_for(deal)
		self.assertEqual(len(mails) - before["mails"], LETTERS.get(to_stage, 0), mails)
		if to_stage == "Invoice Issued":
			self.assertIn("Deal Invoice", mails[-1].attachments or "")
		self.assertEqual(notifications_for(deal, SALES_USER) - before["notified"], NOTIFIED.get(to_stage, 0))
		# the next-contact ToDo: open while the deal is open
		self.assertEqual(open_todos(deal), 0 if to_stage in CLOSED else 1)
		# SMS: after the commit (REST and Data Import commit themselves)
		if not sms:
			return
		if not committed:
			self.assertEqual(RECEIVED, [], "nothing is sent before the change commits")
			frappe.db.after_commit.run()
		self.assertEqual(len(RECEIVED), SMS.get(to_stage, 0), RECEIVED)
		if RECEIVED:
			self.assertEqual(RECEIVED[0]["to"], doc.contact_mobile)


class TestEveryUserPath(ConsequencesTestCase):
	def test_workflow_action(self):
		deal = self.new_deal()
		for action, (old, new) in (
			("Start Negotiation", ("Request Received", "Negotiation")),
			("Issue Invoice", ("Negotiation", "Invoice Issued")),
			("Confirm Payment", ("Invoice Issued", "Invoice Paid")),
			("Ship Goods", ("Invoice Paid", "Goods Shipped")),
		):
			user = SALES_USER if action in ("Start Negotiation", "Issue Invoice") else MANAGER
			before = self.observe(deal.name)
			frappe.set_user(user)
			apply_workflow(frappe.get_doc("Deal", deal.name).as_dict(), action)
			frappe.set_user("Administrator")
			self.assert_moved(deal.name, before, old, new, by=user)

	def test_form_save(self):
		deal = self.new_deal()
		for old, new in (("Request Received", "Negotiation"), ("Negotiation", "Invoice Issued")):
			before = self.observe(deal.name)
			frappe.set_user(SALES_USER)
			doc = frappe.get_doc("Deal", deal.name)
			doc.stage = new
			doc.save()
			frappe.set_user("Administrator")
			self.assert_moved(deal.name, before, old, new, by=SALES_USER)

	def test_board_drag_and_set_value(self):
		deal = self.new_deal()
		before = self.observe(deal.name)
		frappe.set_user(SALES_USER)
		update_order_for_single_card(BOARD_NAME, deal.name, "Request Received", "Negotiation", 0, 0)
		frappe.set_user("Administrator")
		self.assert_moved(deal.name, before, "Request Received", "Negotiation", by=SALES_USER)
		before = self.observe(deal.name)
		frappe.set_user(MANAGER)
		frappe.client.set_value("Deal", deal.name, "stage", "Invoice Issued")
		frappe.set_user("Administrator")
		self.assert_moved(deal.name, before, "Negotiation", "Invoice Issued", by=MANAGER)

	def test_lost_closes_the_todo_and_sends_nothing(self):
		deal = self.new_deal()
		before = self.observe(deal.name)
		doc = frappe.get_doc("Deal", deal.name)
		doc.update({"stage": "Lost", "lost_reason": "Competitor"})
		doc.save()
		self.assert_moved(deal.name, before, "Request Received", "Lost")

	def test_a_save_without_a_stage_change_has_no_consequence(self):
		deal = self.new_deal()
		before = self.observe(deal.name)
		doc = frappe.get_doc("Deal", deal.name)
		doc.notes = "called the client"
		doc.save()
		frappe.db.after_commit.run()
		self.assertEqual(self.observe(deal.name), before)
		self.assertEqual(RECEIVED, [])


class TestCommittedPaths(ConsequencesTestCase):
	"""REST and Data Import run their own transactions: the test commits and cleans up."""

	def setUp(self):
		self.deal = self.new_deal()
		frappe.db.commit()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.delete("Email Queue", {"reference_doctype": "Deal", "reference_name": self.deal.name})
		frappe.delete_doc("Deal", self.deal.name, force=True)
		frappe.db.commit()

	def test_rest(self):
		token = api_token(SALES_USER)
		frappe.db.commit()
		before = self.observe(self.deal.name)
		response = rest("put", f"/api/resource/Deal/{self.deal.name}", token, json={"stage": "Negotiation"})
		self.assertEqual(response.status_code, 200, response.json)
		response = rest(
			"put", f"/api/resource/Deal/{self.deal.name}", token, json={"stage": "Invoice Issued"}
		)
		self.assertEqual(response.status_code, 200, response.json)
		frappe.db.commit()  # a fresh snapshot: the requests ran on their own connection
		before["history"] += 1  # the first move
		self.assertEqual(
			[(r.from_stage, r.stage) for r in frappe.get_doc("Deal", self.deal.name).stage_history][-2:],
			[("Request Received", "Negotiation"), ("Negotiation", "Invoice Issued")],
		)
		# a request queues its SMS job on Redis after its commit (tests/test_sms.py sends it)
		self.assert_moved(
			self.deal.name, before, "Negotiation", "Invoice Issued", by=SALES_USER, committed=True, sms=False
		)

	def test_data_import_with_messages(self):
		importer = make_user("crm-consequences-importer@example.com", ["System Manager", "Sales Manager"])
		apply_workflow(frappe.get_doc("Deal", self.deal.name).as_dict(), "Start Negotiation")
		frappe.set_user(importer)
		frappe.db.commit()
		before = self.observe(self.deal.name)
		csv = "\n".join(["ID,Stage", f"{self.deal.name},Invoice Issued"])
		import_csv("Deal", csv, "Update Existing Records", mute_emails=0)
		frappe.set_user("Administrator")
		frappe.db.commit()
		self.assert_moved(
			self.deal.name, before, "Negotiation", "Invoice Issued", by=importer, committed=True
		)
