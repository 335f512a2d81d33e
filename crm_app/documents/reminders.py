"""Reminders about deals: the next-contact ToDo and the daily alerts.

Everything here is idempotent: running a job twice on the same day sends nothing
twice, and a deal keeps at most one open next-contact ToDo.
"""

import frappe
from frappe import _
from frappe.desk.doctype.notification_log.notification_log import make_notification_logs
from frappe.utils import add_days, getdate, nowdate

from crm_app.pipeline.stages import GOODS_SHIPPED, LOST
from crm_app.settings import get_settings

CLOSED_STAGES = (GOODS_SHIPPED, LOST)
OPEN_STAGES = ("Request Received", "Negotiation")
MARK = "<!-- crm-next-contact -->"


def _open_todos(deal_name: str) -> list[str]:
	return frappe.get_all(
		"ToDo",
		filters={
			"reference_type": "Deal",
			"reference_name": deal_name,
			"status": "Open",
			"description": ("like", f"{MARK}%"),
		},
		pluck="name",
		order_by="creation asc",
	)


def sync_next_contact(deal, method=None):
	"""doc_event on Deal (on_update), every save: one open ToDo for the responsible on the next contact date; updated when the
	date or the responsible changes, cancelled when the deal is won or lost or the date
	is cleared (Cancelled, not Closed: Frappe's assignment rules reopen closed ToDos)."""
	before = deal.get_doc_before_save()
	if not deal.next_contact_date and not (before and before.next_contact_date):
		return  # no date now nor before this save: no ToDo to keep (saves a query per save)
	todos = _open_todos(deal.name)
	wanted = deal.next_contact_date and deal.responsible and deal.stage not in CLOSED_STAGES
	if not wanted:
		for name in todos:
			frappe.db.set_value("ToDo", name, "status", "Cancelled")
		return
	values = {
		"allocated_to": deal.responsible,
		"date": deal.next_contact_date,
		"description": MARK + _("Contact the client about deal {0}: {1}").format(deal.name, deal.title or ""),
	}
	if todos:
		todo = frappe.get_doc("ToDo", todos[0])
		for name in todos[1:]:
			frappe.db.set_value("ToDo", name, "status", "Cancelled")
		if any(str(todo.get(k) or "") != str(v) for k, v in values.items()):
			todo.update(values)
			todo.save(ignore_permissions=True)
	else:
		frappe.get_doc(
			{
				"doctype": "ToDo",
				"reference_type": "Deal",
				"reference_name": deal.name,
				"priority": "Medium",
				**values,
			}
		).insert(ignore_permissions=True)


def _notify_once(deal: dict, subject: str) -> bool:
	"""A system notification to the responsible, at most once a day per deal and subject."""
	if frappe.db.exists(
		"Notification Log",
		{
			"document_type": "Deal",
			"document_name": deal.name,
			"for_user": deal.responsible,
			"subject": subject,
			"creation": (">=", nowdate()),
		},
	):
		return False
	# made here and now (the job already runs in the background), so a second run sees it
	make_notification_logs(
		{
			"type": "Alert",
			"document_type": "Deal",
			"document_name": deal.name,
			"subject": subject,
			"from_user": "Administrator",
			"email_content": subject,
		},
		[deal.responsible],
	)
	return True


def notify_next_contacts() -> int:
	"""Responsibles of deals whose next contact date is today or past."""
	deals = frappe.get_all(
		"Deal",
		filters=[
			# Frappe compares an empty date as 0001-01-01, so "set" must be asked for
			["next_contact_date", "is", "set"],
			["next_contact_date", "<=", nowdate()],
			["stage", "not in", CLOSED_STAGES],
			["responsible", "is", "set"],
		],
		fields=["name", "title", "responsible", "next_contact_date"],
	)
	sent = 0
	for deal in deals:
		subject = _("Contact the client today: {0} ({1})").format(deal.name, deal.title or "")
		sent += _notify_once(deal, subject)
	return sent


def notify_idle_deals() -> int:
	"""Deals at Request Received or Negotiation untouched for the settings' idle days."""
	days = get_settings().get("idle_days") or 0
	if not days:
		return 0
	deals = frappe.get_all(
		"Deal",
		filters={
			"stage": ("in", OPEN_STAGES),
			"modified": ("<", add_days(getdate(nowdate()), -days)),
			"responsible": ("is", "set"),
		},
		fields=["name", "title", "responsible", "stage"],
	)
	sent = 0
	for deal in deals:
		subject = _("Deal {0} ({1}) has been idle at {2} for {3} days").format(
			deal.name, deal.title or "", _(deal.stage), days
		)
		sent += _notify_once(deal, subject)
	return sent


def daily():
	"""Scheduler entry point (hooks: scheduler_events daily)."""
	notify_next_contacts()
	notify_idle_deals()
