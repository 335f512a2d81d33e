"""Creates the Deal Pipeline workflow, its states and actions, and the Kanban board.

They are created once (on install, or by a patch on sites that predate them)
and never overwritten afterwards, so an administrator's own edits to the
pipeline survive `bench migrate`. The seed lives in `deal_pipeline.json`.
"""

import json
from pathlib import Path

import frappe

from crm_app.pipeline import WORKFLOW_NAME

SEED = Path(__file__).with_name("deal_pipeline.json")


def load_seed() -> dict:
	return json.loads(SEED.read_text())


def ensure_pipeline(extra_roles: bool | None = None):
	"""Create what is missing of the pipeline. `extra_roles` adds the
	transitions for ERPNext's Accounts User and Stock User (default: when
	ERPNext is installed; Frappe alone has these roles too, unused)."""
	seed = load_seed()
	for state in seed["states"]:
		ensure_workflow_state(state["state"], state.get("style"))
	for transition in seed["transitions"]:
		ensure_action(transition["action"])
	if not frappe.db.exists("Workflow", WORKFLOW_NAME):
		create_workflow(seed)
	add_role_transitions(seed, extra_roles)
	let_transition_roles_read_workflows()


# Roles given read permission on Workflow by the app (Frappe 16), and whether Workflow had
# custom permissions before: what uninstall takes back.
WORKFLOW_READERS_KEY = "crm_app_workflow_readers"


def let_transition_roles_read_workflows():
	"""On Frappe 16 the desk reads the Workflow record before it applies an action
	(crm_app.compat.workflow_actions_read_the_workflow), which only a System Manager may:
	every other role holding a transition of the Deal Pipeline gets read permission on
	Workflow (a Custom DocPerm, as the Role Permission Manager adds one). Remembered, so
	that uninstall removes exactly these."""
	from frappe.permissions import add_permission

	from crm_app.compat import workflow_actions_read_the_workflow

	if not workflow_actions_read_the_workflow() or not frappe.db.exists("Workflow", WORKFLOW_NAME):
		return
	record = frappe.parse_json(frappe.db.get_global(WORKFLOW_READERS_KEY) or "{}") or {}
	record.setdefault("had_custom_perms", bool(frappe.db.exists("Custom DocPerm", {"parent": "Workflow"})))
	granted = set(record.get("roles") or [])
	roles = {t.allowed for t in frappe.get_doc("Workflow", WORKFLOW_NAME).transitions}
	for role in sorted(roles - granted):
		if frappe.db.exists("Custom DocPerm", {"parent": "Workflow", "role": role, "permlevel": 0}):
			continue
		add_permission("Workflow", role, 0, "read")
		granted.add(role)
	record["roles"] = sorted(granted)
	frappe.db.set_global(WORKFLOW_READERS_KEY, frappe.as_json(record))
	frappe.clear_cache(doctype="Workflow")


def on_workflow_update(doc, method=None):
	"""doc_event on Workflow: a role an admin gives a transition of the Deal Pipeline may
	read the workflow too (Frappe 16)."""
	if doc.name == WORKFLOW_NAME and not frappe.flags.in_install:
		let_transition_roles_read_workflows()


def remove_workflow_readers():
	"""Uninstall: the read permissions on Workflow the app added, and the copy of
	Workflow's standard permissions Frappe made when the first was added."""
	record = frappe.parse_json(frappe.db.get_global(WORKFLOW_READERS_KEY) or "{}") or {}
	for role in record.get("roles") or []:
		for name in frappe.get_all(
			"Custom DocPerm", filters={"parent": "Workflow", "role": role, "permlevel": 0}, pluck="name"
		):
			frappe.delete_doc("Custom DocPerm", name, ignore_permissions=True, force=True)
	if record and not record.get("had_custom_perms"):
		frappe.db.delete("Custom DocPerm", {"parent": "Workflow"})
	frappe.db.set_global(WORKFLOW_READERS_KEY, None)
	frappe.clear_cache(doctype="Workflow")


# The README's historical import: a Sales Manager imports deals at any stage through
# Frappe's Data Import, which ships for the System Manager alone.
IMPORT_ROLE = "Sales Manager"
DATA_IMPORT_GRANT_KEY = "crm_app_data_import_grant"


def let_sales_managers_import():
	"""Give the Sales Manager Frappe's Data Import for their own imports (read, write and
	create, "only if creator"): Data Import itself lets them import only DocTypes they may
	import (Deal, Client Company, Client Contact, Catalog Item). A Custom DocPerm, as the
	Role Permission Manager adds one, remembered so that uninstall takes back exactly it;
	never added where the site already gave the role a rule on Data Import."""
	from frappe.permissions import add_permission, update_permission_property

	if frappe.db.get_global(DATA_IMPORT_GRANT_KEY) or not frappe.db.exists("Role", IMPORT_ROLE):
		return
	if frappe.db.exists("Custom DocPerm", {"parent": "Data Import", "role": IMPORT_ROLE}):
		return
	had_custom_perms = bool(frappe.db.exists("Custom DocPerm", {"parent": "Data Import"}))
	add_permission("Data Import", IMPORT_ROLE, 0, "read")
	for right in ("write", "create", "if_owner"):
		update_permission_property("Data Import", IMPORT_ROLE, 0, right, 1, validate=False)
	frappe.db.set_global(DATA_IMPORT_GRANT_KEY, frappe.as_json({"had_custom_perms": had_custom_perms}))
	frappe.clear_cache(doctype="Data Import")


def remove_data_import_grant():
	"""Uninstall: the Sales Manager's rule on Data Import the app added (and the copy of the
	standard rules Frappe made when it was added)."""
	record = frappe.parse_json(frappe.db.get_global(DATA_IMPORT_GRANT_KEY) or "{}") or {}
	if not record:
		return
	frappe.db.delete("Custom DocPerm", {"parent": "Data Import", "role": IMPORT_ROLE})
	if not record.get("had_custom_perms"):
		frappe.db.delete("Custom DocPerm", {"parent": "Data Import"})
	frappe.db.set_global(DATA_IMPORT_GRANT_KEY, None)
	frappe.clear_cache(doctype="Data Import")


def ensure_workflow_state(name: str, style: str | None = None):
	if not frappe.db.exists("Workflow State", name):
		frappe.get_doc(
			{"doctype": "Workflow State", "workflow_state_name": name, "style": style or ""}
		).insert(ignore_permissions=True)


def ensure_action(name: str):
	if not frappe.db.exists("Workflow Action Master", name):
		frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": name}).insert(
			ignore_permissions=True
		)


def create_workflow(seed: dict):
	workflow = frappe.get_doc(
		{
			"doctype": "Workflow",
			**{k: seed[k] for k in ("workflow_name", "document_type", "is_active", "override_status")},
			"send_email_alert": seed["send_email_alert"],
			"workflow_state_field": seed["workflow_state_field"],
			"states": [
				{k: s[k] for k in ("state", "doc_status", "allow_edit", "is_optional_state")}
				for s in seed["states"]
			],
			"transitions": [
				{
					"state": t["state"],
					"action": t["action"],
					"next_state": t["next_state"],
					"allowed": role,
					"allow_self_approval": 1,
				}
				for t in seed["transitions"]
				for role in t["allowed"]
			],
		}
	)
	workflow.insert(ignore_permissions=True)


def skip_workflow_actions():
	"""The seeded stages are optional states for Frappe's Workflow Actions: a sales
	pipeline is not an approval chain, so no Workflow Action is opened for every
	sales user on every deal (nor kept up to date on every save). Sites that
	predate this get it once, and lose the open Workflow Actions of deals."""
	seeded = {s["state"] for s in load_seed()["states"]}
	workflow = frappe.get_doc("Workflow", WORKFLOW_NAME)
	for state in workflow.states:
		if state.state in seeded:
			state.is_optional_state = 1
	workflow.save(ignore_permissions=True)
	for name in frappe.get_all(
		"Workflow Action", filters={"reference_doctype": "Deal", "status": "Open"}, pluck="name"
	):
		frappe.delete_doc("Workflow Action", name, ignore_permissions=True, force=True)


def add_role_transitions(seed: dict, extra_roles: bool | None = None):
	"""Add the ERPNext roles' transitions (Accounts User: Confirm Payment, Stock
	User: Ship Goods) where the roles exist and the workflow lacks them."""
	wanted = extra_roles if extra_roles is not None else "erpnext" in frappe.get_installed_apps()
	workflow = frappe.get_doc("Workflow", WORKFLOW_NAME)
	existing = {(t.state, t.action, t.allowed) for t in workflow.transitions}
	added = False
	for t in seed["transitions"]:
		for role in t.get("erpnext_allowed", []):
			if not wanted or (t["state"], t["action"], role) in existing:
				continue
			if not any(s.state == t["state"] for s in workflow.states):
				continue  # the site removed that stage
			workflow.append(
				"transitions",
				{
					"state": t["state"],
					"action": t["action"],
					"next_state": t["next_state"],
					"allowed": role,
					"allow_self_approval": 1,
				},
			)
			added = True
	if added:
		workflow.save(ignore_permissions=True)


def remove_pipeline():
	"""On uninstall: the workflow, and the states and actions no other workflow uses."""
	remove_workflow_readers()
	seed = load_seed()
	if frappe.db.exists("Workflow", WORKFLOW_NAME):
		frappe.delete_doc("Workflow", WORKFLOW_NAME, ignore_permissions=True, force=True)
	for state in {s["state"] for s in seed["states"]}:
		if not frappe.db.exists("Workflow Document State", {"state": state}) and not frappe.db.exists(
			"Workflow Transition", {"next_state": state}
		):
			frappe.delete_doc_if_exists("Workflow State", state)
	for action in {t["action"] for t in seed["transitions"]}:
		if not frappe.db.exists("Workflow Transition", {"action": action}):
			frappe.delete_doc_if_exists("Workflow Action Master", action)


LOST_REASONS = ("Price", "Competitor", "No Budget", "No Decision", "No Response", "Other")
OTHER_REASON = "Other"


def ensure_lost_reasons():
	"""The standard Deal Lost Reasons, created once; the site edits, disables or adds its
	own afterwards (names are translated on screen: Deal Lost Reason is a translated
	DocType)."""
	for reason in LOST_REASONS:
		if not frappe.db.exists("Deal Lost Reason", reason):
			frappe.get_doc({"doctype": "Deal Lost Reason", "reason_name": reason}).insert(
				ignore_permissions=True
			)
