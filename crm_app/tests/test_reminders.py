"""The next-contact ToDo and the daily reminder jobs (run twice, send once)."""

import frappe
from frappe.utils import add_days, nowdate

from crm_app.documents.reminders import daily, notify_idle_deals, notify_next_contacts
from crm_app.tests import CRMTestCase
from crm_app.tests.utils import make_company, make_deal, make_item, make_user, set_settings

OWNER = "crm-reminders-owner@example.com"
OTHER = "crm-reminders-other@example.com"


def reminder_todos(deal_name: str, status: str = "Open"):
	return frappe.get_all(
		"ToDo",
		filters={"reference_type": "Deal", "reference_name": deal_name, "status": status},
		fields=["name", "allocated_to", "date"],
	)


def logs_for(deal_name: str) -> int:
	return frappe.db.count("Notification Log", {"document_type": "Deal", "document_name": deal_name})


class TestNextContactTodo(CRMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(OWNER, ["Sales User"])
		make_user(OTHER, ["Sales User"])
		set_settings(erpnext_enabled=0, idle_days=7)
		cls.item = make_item(standard_rate=10).name

	def new_deal(self, **kwargs):
		return make_deal(
			make_company().name, items=[{"catalog_item": self.item, "qty": 1}], currency="RUB", **kwargs
		)

	def test_one_todo_follows_the_date_and_the_responsible(self):
		deal = self.new_deal(responsible=OWNER, next_contact_date=add_days(nowdate(), 3))
		todos = reminder_todos(deal.name)
		self.assertEqual([(t.allocated_to, str(t.date)) for t in todos], [(OWNER, add_days(nowdate(), 3))])

		deal.next_contact_date = add_days(nowdate(), 5)
		deal.save()
		deal.responsible = OTHER
		deal.save()
		todos = reminder_todos(deal.name)
		self.assertEqual([(t.allocated_to, str(t.date)) for t in todos], [(OTHER, add_days(nowdate(), 5))])

		deal.lost_reason = "No Budget"
		deal.stage = "Lost"
		deal.save()
		self.assertEqual(reminder_todos(deal.name), [])
		self.assertEqual(len(reminder_todos(deal.name, "Cancelled")), 1)

	def test_clearing_the_date_closes_the_todo(self):
		deal = self.new_deal(responsible=OWNER, next_contact_date=nowdate())
		deal.next_contact_date = None
		deal.save()
		self.assertEqual(reminder_todos(deal.name), [])

	def test_daily_jobs_run_twice_send_once(self):
		due = self.new_deal(responsible=OWNER, next_contact_date=add_days(nowdate(), -1))
		later = self.new_deal(responsible=OWNER, next_contact_date=add_days(nowdate(), 2))
		idle = self.new_deal(responsible=OWNER)
		frappe.db.set_value("Deal", idle.name, "modified", add_days(nowdate(), -10), update_modified=False)
		daily()
		daily()
		self.assertEqual(logs_for(due.name), 1)
		self.assertEqual(logs_for(later.name), 0)
		self.assertEqual(logs_for(idle.name), 1)
		self.assertEqual(notify_next_contacts(), 0)
		self.assertEqual(notify_idle_deals(), 0)
