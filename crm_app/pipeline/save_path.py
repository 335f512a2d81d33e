"""How a deal's save runs two pieces of Frappe's machinery that every stage change goes
through, with their results unchanged and fewer queries:

- Notifications: Frappe loads every Notification record of the DocType from the database
  at every save (a record and its recipients each, four stage notifications for a deal)
  to test its condition. Here the records come from Frappe's document cache, which Frappe
  clears whenever a Notification is saved; the list of them is Frappe's own cached list.
- Workflow Actions: Frappe's `process_workflow_actions` hook (doc_events "*") keeps the
  approval inbox of a workflow: about ten queries per save. It can create nothing while
  every state of the workflow is optional (Frappe skips optional next states), which is
  how the app installs the Deal Pipeline; the hook is then left out for deals. A site that
  makes a stage non-optional gets Frappe's Workflow Actions back, hook and all.

The Deal controller calls these from its `run_method` and `run_notifications`.
"""

import frappe

from crm_app.compat import cached_notifications
from crm_app.pipeline.workflow import get_pipeline

WORKFLOW_ACTIONS_HOOK = "frappe.workflow.doctype.workflow_action.workflow_action.process_workflow_actions"


def creates_workflow_actions(doctype: str = "Deal") -> bool:
	"""Can Frappe's Workflow Action hook create or complete anything for this doctype: is
	any state of its active workflow not optional?"""
	pipeline = get_pipeline(doctype)
	return bool(pipeline and pipeline.required_states)


def run_without_workflow_actions(doc, method: str, *args, **kwargs):
	"""`Document.run_method(method)` as Frappe runs it — the controller's method, the
	doc_events of the doctype and of "*", then Notifications, Webhooks and Server Scripts —
	less Frappe's Workflow Action hook. Return values are not collected (on_update and
	on_change return none)."""
	from frappe.core.doctype.server_script.server_script_utils import run_server_script_for_doc_event
	from frappe.integrations.doctype.webhook import run_webhooks

	events = frappe.get_doc_hooks()
	handlers = events.get(doc.doctype, {}).get(method, []) + events.get("*", {}).get(method, [])
	controller_method = getattr(doc, method, None)
	if callable(controller_method):
		controller_method(*args, **kwargs)
	for handler in handlers:
		if handler != WORKFLOW_ACTIONS_HOOK:
			frappe.get_attr(handler)(doc, method, *args, **kwargs)
	doc.run_notifications(method)
	run_webhooks(doc, method)
	run_server_script_for_doc_event(doc, method)


def _enabled_notifications(doctype: str) -> list:
	"""Frappe's own cached list of a DocType's enabled Notifications (same key and query as
	`Document.run_notifications`, cleared by Frappe when a Notification changes)."""

	def load():
		return frappe.get_all(
			"Notification",
			fields=["name", "event", "method"],
			filters={"enabled": 1, "document_type": doctype},
		)

	return cached_notifications(doctype, load)


def run_notifications_on_change(doc, method: str) -> bool:
	"""Frappe's Notification run for `on_change` of a saved document (Value Change, and
	Method notifications on on_change), with each Notification record taken from the
	document cache. Returns False when Frappe's own run must handle `method` instead."""
	if method != "on_change" or doc.flags.in_insert or doc.flags.in_delete:
		return False
	if (
		(frappe.flags.in_import and frappe.flags.mute_emails)
		or frappe.flags.in_patch
		or frappe.flags.in_install
	):
		return True
	from frappe.email.doctype.notification.notification import evaluate_alert, get_context

	if doc.flags.notifications_executed is None:
		doc.flags.notifications_executed = []
	executed = doc.flags.notifications_executed
	context = None
	for alert in _enabled_notifications(doc.doctype):
		if alert.name in executed:
			continue
		if alert.event == "Value Change":
			record = frappe.get_cached_doc("Notification", alert.name)
			context = context or get_context(doc)
			if record.condition and not _holds(record.condition, context):
				executed.append(alert.name)  # what Frappe's evaluate_alert concludes first
				continue
			evaluate_alert(doc, record, alert.event)
		elif alert.event == "Method" and alert.method == method:
			evaluate_alert(doc, alert.name, alert.event)
		else:
			continue
		executed.append(alert.name)
	return True


def _holds(condition: str, context: dict) -> bool:
	"""A Notification's condition, evaluated as Frappe does (safe_eval with the context of
	`get_context`, built once for all the records); one that fails to evaluate counts as
	holding, so that Frappe's evaluate_alert reports it its own way."""
	try:
		return bool(frappe.safe_eval(condition, None, context))
	except Exception:
		return True
