"""What differs between Frappe / ERPNext 15 and 16, in one place.

The rest of the app calls these helpers and never checks a version itself. Each helper
detects the feature it needs (an import, a field in the meta) rather than comparing
version numbers, so a minor release that back-ports a change is handled too.

- `aggregate(function, field, alias)`: an aggregate in `frappe.get_list(fields=…)`.
  Frappe 15 takes SQL text ("count(`name`) as count"); Frappe 16's query engine refuses
  SQL functions written as strings and takes a dict ({"COUNT": "name", "as": "count"}).
- `test_case()`: the base class of bench tests (`frappe.tests.IntegrationTestCase` on 16,
  `frappe.tests.utils.FrappeTestCase` on 15).
- `cached_notifications(doctype, load)` / `clear_cached_notifications(doctype)`: Frappe's own
  cached list of a DocType's enabled Notifications, under the key Frappe reads and clears
  (`frappe.cache` hash "notifications" on 15, `frappe.client_cache` "notifications::<doctype>"
  on 16).
- `workflow_actions_read_the_workflow()`: Frappe 16's form reads the Workflow record
  (`enable_action_confirmation`) through `frappe.client.get_value` before it applies an
  action, so a user taking a transition needs read permission on Workflow; Frappe 15 does
  not ask.
- `freeze_accounts(company, till)`: ERPNext's "accounts frozen till" date, kept in Accounts
  Settings (`acc_frozen_upto`, with `frozen_accounts_modifier`) on 15 and on the Company
  (`accounts_frozen_till_date`, `role_allowed_for_frozen_entries`) on 16.
"""

import frappe

AGGREGATES = frozenset({"count", "sum", "avg", "min", "max"})


def dict_fields_supported() -> bool:
	"""Does `frappe.get_list` take aggregates as dicts (Frappe 16's query engine)?"""
	try:
		from frappe.database.query import SQLFunctionParser
	except ImportError:
		return False
	return True


def aggregate(function: str, field: str, alias: str):
	"""`function`(`field`) AS `alias` for `frappe.get_list(fields=[...])`, in the form the
	running Frappe accepts. `function`: count, sum, avg, min or max; `field` a plain
	fieldname (or "*" for count). Raises ValueError for anything else."""
	function = function.lower()
	if function not in AGGREGATES or not (field == "*" or field.isidentifier()) or not alias.isidentifier():
		raise ValueError(f"unsupported aggregate: {function}({field}) as {alias}")
	if dict_fields_supported():
		return {function.upper(): field, "as": alias}
	column = field if field == "*" else f"`{field}`"
	return f"{function}({column}) as {alias}"


def test_case():
	"""The bench tests' base class for the running Frappe."""
	try:
		from frappe.tests import IntegrationTestCase

		return IntegrationTestCase
	except ImportError:  # Frappe 15
		from frappe.tests.utils import FrappeTestCase

		return FrappeTestCase


def cached_notifications(doctype: str, load):
	"""Frappe's cached list of `doctype`'s enabled Notifications (rows of name, event,
	method), computed by `load()` when absent, under the key the running Frappe itself
	uses in `Document.run_notifications` and clears when a Notification changes."""
	client_cache = getattr(frappe, "client_cache", None)
	if client_cache is not None:
		return client_cache.get_value(f"notifications::{doctype}", generator=load)
	return frappe.cache.hget("notifications", doctype, load)


def clear_cached_notifications(doctype: str):
	"""Drop that cached list, as Frappe does when a Notification is saved."""
	client_cache = getattr(frappe, "client_cache", None)
	if client_cache is not None:
		client_cache.delete_value(f"notifications::{doctype}")
	else:
		frappe.cache.hdel("notifications", doctype)


def workflow_actions_read_the_workflow() -> bool:
	"""Does the desk read the Workflow record itself when a user clicks a workflow action
	(Frappe 16: its "Enable Action Confirmation" setting)?"""
	return frappe.get_meta("Workflow").has_field("enable_action_confirmation")


def freeze_accounts(company: str, till):
	"""Freeze `company`'s accounts up to the date `till` (None unfreezes) with no role
	allowed to post before it, wherever the running ERPNext keeps that setting."""
	if frappe.get_meta("Company").has_field("accounts_frozen_till_date"):
		frappe.db.set_value(
			"Company", company, {"accounts_frozen_till_date": till, "role_allowed_for_frozen_entries": None}
		)
	else:
		frappe.db.set_single_value("Accounts Settings", "acc_frozen_upto", till)
		frappe.db.set_single_value("Accounts Settings", "frozen_accounts_modifier", None)
