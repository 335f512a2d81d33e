"""Stage rules of a deal, applied on every save whatever the path (form, Kanban,
set_value, REST, apply_workflow, Data Import).

- Which transitions a user may take is Frappe's Workflow check (roles and
  conditions), which runs after `validate`; here come the rules the workflow
  cannot express: what a stage needs on entry, what is frozen after the invoice,
  the stage history and imports of historical deals.
"""

import frappe
from frappe import _
from frappe.utils import cstr, flt, now_datetime, time_diff_in_seconds

from crm_app.pipeline.workflow import get_pipeline
from crm_app.utils.pipeline import INVOICE_ISSUED, LOST, funnel_facts

FROZEN_DEAL_FIELDS = ("client_company", "currency", "prices_include_vat")
HISTORY_FIELDS = ("from_stage", "stage", "changed_at", "changed_by", "seconds_in_previous_stage")
IMPORT_ROLES = {"Sales Manager"}


def before_save(deal):
	"""Called from Deal.validate after the totals are computed."""
	pipeline = get_pipeline()
	before = deal.get_doc_before_save()
	if deal.is_new():
		handle_new_stage(deal, pipeline)
	old_stage = before.stage if before else None
	if before and old_stage != deal.stage:
		check_stage_entry(deal)
		check_ledger_rules(deal, old_stage)
	if before and pipeline:
		check_frozen(deal, before, pipeline.frozen_states())
	rebuild_history(deal, before, old_stage)


def handle_new_stage(deal, pipeline):
	first = pipeline.first_state if pipeline else "Request Received"
	if not deal.stage:
		deal.stage = first
	if deal.stage == first or not frappe.flags.in_import:
		return  # a non-first stage outside imports is refused by the workflow check
	if IMPORT_ROLES & set(frappe.get_roles()):
		# A historical deal migrated from another CRM: inserted at the first stage
		# (so the workflow check passes), then moved in after_insert, without
		# postings or messages.
		deal.flags.imported_stage = deal.stage
		deal.flags.silent = True
	deal.stage = first


def after_insert(deal):
	if deal.flags.imported_stage:
		move_without_side_effects(deal, deal.flags.imported_stage)


def on_update(deal):
	"""After a save that changed the stage: the stage's side effects (postings to
	ERPNext), in the same transaction, so a failure undoes the whole change."""
	before = deal.get_doc_before_save()
	if not before or before.stage == deal.stage or deal.flags.silent:
		return
	from crm_app.documents.sms import queue_stage_sms

	queue_stage_sms(deal)
	from crm_app.erpnext_integration.settings import posting_enabled

	if posting_enabled():
		from crm_app.erpnext_integration.deal_stage import on_stage_change

		on_stage_change(deal, before.stage, deal.stage)


def move_without_side_effects(deal, stage: str, comment: bool = False):
	"""Move a deal to `stage` directly in the database, with its history row.

	For facts that happened elsewhere (an import of a historical deal, a payment
	or a delivery posted in ERPNext, a cancelled invoice): no workflow role
	check, no postings; the history names the user who caused it."""
	if deal.stage == stage:
		return
	now = now_datetime()
	last = deal.stage_history[-1].changed_at if deal.stage_history else None
	row = deal.append(
		"stage_history",
		{
			"from_stage": deal.stage,
			"stage": stage,
			"changed_at": now,
			"changed_by": frappe.session.user,
			"seconds_in_previous_stage": int(time_diff_in_seconds(now, last)) if last else 0,
		},
	)
	row.db_insert()
	deal.db_set({"stage": stage, **funnel_fact_values(deal)}, update_modified=False)
	if comment:
		deal.add_comment("Workflow", _(stage))
	from crm_app.documents.reminders import sync_next_contact

	sync_next_contact(deal)


def check_ledger_rules(deal, old_stage):
	from crm_app.erpnext_integration.settings import posting_enabled

	if posting_enabled() and not deal.flags.silent:
		from crm_app.erpnext_integration.deal_stage import before_stage_change

		before_stage_change(deal, old_stage, deal.stage)


def check_stage_entry(deal):
	if deal.stage == INVOICE_ISSUED and (not deal.items or (deal.grand_total or 0) <= 0):
		frappe.throw(
			_("To issue an invoice the deal needs at least one line and a grand total above zero."),
			title=_("Cannot Issue Invoice"),
		)
	if deal.stage == LOST and not (deal.lost_reason or "").strip():
		frappe.throw(
			_("Say why the deal was lost: Lost Reason is required."), title=_("Lost Reason Required")
		)


def _lines(doc) -> list[tuple]:
	return [
		(
			row.catalog_item,
			row.uom or "",
			*(flt(row.get(f)) for f in ("qty", "rate", "discount_percent", "vat_rate")),
		)
		for row in doc.get("items")
	]


def check_frozen(deal, before, frozen: set[str]):
	if before.stage not in frozen:
		return
	changed = [
		_(deal.meta.get_label(f)) for f in FROZEN_DEAL_FIELDS if cstr(deal.get(f)) != cstr(before.get(f))
	]
	if _lines(deal) != _lines(before):
		changed.append(_("Items"))
	if changed:
		frappe.throw(
			_("{0} cannot change at stage {1}. Move the deal Back to Negotiation first.").format(
				", ".join(changed), frappe.bold(_(before.stage))
			),
			title=_("Deal Is Frozen"),
		)


def _history_rows(rows) -> list[tuple]:
	return [(row.name, *(str(row.get(f) or "") for f in HISTORY_FIELDS)) for row in rows]


def rebuild_history(deal, before, old_stage):
	"""The history is the saved one plus a row for this change: rows sent by the
	client (added, edited or removed) are ignored."""
	saved = list(before.get("stage_history")) if before else []
	if _history_rows(deal.get("stage_history")) != _history_rows(saved):
		deal.set("stage_history", [])
		for row in saved:
			deal.append("stage_history", {"name": row.name, **{f: row.get(f) for f in HISTORY_FIELDS}})
	if not (before and old_stage == deal.stage):
		append_history_row(deal, old_stage if before else None, saved[-1].changed_at if saved else None)
	deal.update(funnel_fact_values(deal))


def funnel_fact_values(deal) -> dict:
	"""The deal's funnel facts, from its stage history (see utils.pipeline)."""
	rows = deal.get("stage_history")
	history = ((r.from_stage, r.stage, r.seconds_in_previous_stage, r.changed_at) for r in rows)
	return funnel_facts(history).as_fields()


def refresh_funnel_facts(deal_name: str):
	"""Recompute one deal's facts after its history rows were changed directly."""
	deal = frappe.get_doc("Deal", deal_name)
	deal.db_set(funnel_fact_values(deal), update_modified=False)


def append_history_row(deal, from_stage, last):
	now = now_datetime()
	deal.append(
		"stage_history",
		{
			"from_stage": from_stage,
			"stage": deal.stage,
			"changed_at": now,
			"changed_by": frappe.session.user,
			"seconds_in_previous_stage": int(time_diff_in_seconds(now, last)) if last else None,
		},
	)
