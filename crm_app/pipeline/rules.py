"""Stage rules of a deal, applied on every save whatever the path (form, Kanban,
set_value, REST, apply_workflow, Data Import, a fact recorded by `events.record_fact`).

- Which transitions a user may take is Frappe's Workflow check (roles and
  conditions), which runs after `validate`; here come the rules the workflow
  cannot express: what a stage needs on entry, what is frozen after the invoice,
  the stage history, the funnel facts and imports of historical deals.
- The save's stage change is recorded on the document (`events.StageChange`) for the
  reactions wired in hooks.py; this module reacts to nothing itself.
"""

import frappe
from frappe import _
from frappe.utils import cint, cstr, flt, get_datetime, getdate, now_datetime, time_diff_in_seconds

from crm_app.clients.registry.card import REFUSED_STATUSES, WARNED_STATUSES
from crm_app.pipeline.events import FACT, IMPORT, USER, StageChange
from crm_app.pipeline.facts import funnel_facts
from crm_app.pipeline.stages import GOODS_SHIPPED, INVOICE_ISSUED, INVOICE_PAID, LOST, REQUEST_RECEIVED
from crm_app.pipeline.workflow import get_pipeline

FROZEN_DEAL_FIELDS = ("client_company", "currency", "prices_include_vat")
HISTORY_FIELDS = (
	"from_stage",
	"stage",
	"changed_at",
	"changed_by",
	"seconds_in_previous_stage",
	"reference_doctype",
	"reference_name",
)
IMPORT_ROLES = {"Sales Manager"}
# Fields the app or the ledger owns: written only by the app's own code (the stage facts
# recomputed from the history on every save, `events.record_fact` for the invoice link,
# the closing documents' numbering), never by whoever sends the deal. `sales_invoice`
# exists on sites with ERPNext.
OWNED_FIELDS = (
	"sales_invoice",
	"paid_amount",
	"stage_entered_at",
	"paid_at",
	"lost_at",
	"reached_stages",
	"left_stages",
	"lost_from_stage",
	"funnel_key",
	*(f"seconds_in_{s}" for s in ("request_received", "negotiation", "invoice_issued", "invoice_paid", "goods_shipped", "lost")),
	"transfer_document_number",
	"transfer_document_date",
	"completion_act_number",
	"completion_act_date",
)  # fmt: skip
# what the file of a Sales Manager's historical import may give (see append_imported_history)
IMPORTED_FACTS = ("stage_entered_at", "paid_at")
# written by the closing documents' numbering outside a save of the deal (its `modified`
# unchanged): a form opened before a print still holds them empty
NUMBERED_OUTSIDE_A_SAVE = (
	"transfer_document_number",
	"transfer_document_date",
	"completion_act_number",
	"completion_act_date",
)


def before_save(deal):
	"""Called from Deal.validate after the totals are computed."""
	pipeline = get_pipeline()
	before = deal.get_doc_before_save()
	if deal.is_new():
		handle_new_stage(deal, pipeline)
	check_owned_fields(deal, before)
	old_stage = before.stage if before else None
	fact = deal.flags.stage_fact
	cause = FACT if fact else IMPORT if deal.flags.imported_stage else USER
	change = StageChange(old_stage, deal.stage, cause, *(fact or (None, None)))
	if before and old_stage != deal.stage and cause == USER:
		check_stage_entry(deal)
	if before and pipeline:
		check_frozen(deal, before, pipeline.frozen_states())
	rebuild_history(deal, before, change)
	deal.flags.stage_change = change


def issues_invoice(deal, before) -> bool:
	"""Does this save move the deal to Invoice Issued by the user's own transition (the
	form, the board, REST, bulk edit; not a voucher recorded elsewhere nor an import)?
	The deal's lines then take the VAT in force on the invoice's date
	(crm_app.deals.lines.reprice_at_invoice)."""
	return bool(
		before
		and before.stage != deal.stage
		and deal.stage == INVOICE_ISSUED
		and not deal.flags.stage_fact
		and not deal.flags.imported_stage
	)


def _same(fieldtype: str, a, b) -> bool:
	if not a and not b:
		return True
	if not a or not b:
		return False
	if fieldtype == "Datetime":
		return get_datetime(a) == get_datetime(b)
	if fieldtype == "Date":
		return getdate(a) == getdate(b)
	if fieldtype in ("Int", "Long Int", "Check"):
		return cint(a) == cint(b)
	return cstr(a) == cstr(b)


def check_owned_fields(deal, before):
	"""Refuse a save that sets a field the app or the ledger owns (`OWNED_FIELDS`) to
	anything but its stored value (empty for a new deal), on every path that saves a deal:
	the form, REST, `frappe.client.set_value`, `bulk_update`, Data Import (insert or
	update). A fact recorded by the ledger (`events.record_fact`) may set the invoice link;
	a Sales Manager's historical import may date its stage (`IMPORTED_FACTS`); a closing
	document's number that a copy from before its print holds empty is kept as stored.

	Raises frappe.PermissionError (HTTP 403) naming the fields; nothing is saved."""
	if deal.flags.stage_fact:
		return
	changed = []
	for fieldname in OWNED_FIELDS:
		df = deal.meta.get_field(fieldname)
		if not df:
			continue
		if not before and deal.flags.imported_stage and fieldname in IMPORTED_FACTS:
			continue
		stored = before.get(fieldname) if before else None
		if stored and not deal.get(fieldname) and fieldname in NUMBERED_OUTSIDE_A_SAVE:
			deal.set(fieldname, stored)  # a copy from before the number was given: kept
			continue
		if not _same(df.fieldtype, deal.get(fieldname), stored):
			changed.append(_(df.label))
	if changed:
		frappe.throw(
			_(
				"{0}: set by the CRM itself (the stage history, ERPNext, the closing documents), not by hand."
			).format(", ".join(changed)),
			frappe.PermissionError,
			title=_("Field Not Editable"),
		)


def skips_workflow_check(deal) -> bool:
	"""A fact recorded elsewhere, or a historical deal imported by a Sales Manager, is
	not a transition a user takes: Frappe's workflow role check does not apply."""
	return bool(deal.flags.stage_fact or deal.flags.imported_stage)


def handle_new_stage(deal, pipeline):
	first = pipeline.first_state if pipeline else REQUEST_RECEIVED
	if not deal.stage:
		deal.stage = first
	if deal.stage == first or not frappe.flags.in_import:
		return  # a non-first stage outside imports is refused by the workflow check
	if not IMPORT_ROLES & set(frappe.get_roles()):
		deal.stage = first  # a Sales User's import opens requests
		return
	if pipeline and deal.stage not in pipeline.states:
		frappe.throw(
			_("{0} is not a stage of the pipeline.").format(frappe.bold(deal.stage)), title=_("Invalid Stage")
		)
	# A historical deal migrated from another CRM: inserted at its stage, without
	# postings or messages, its history dated as the file says.
	deal.flags.imported_stage = deal.stage


def check_stage_entry(deal):
	if deal.stage == INVOICE_ISSUED and (not deal.items or (deal.grand_total or 0) <= 0):
		frappe.throw(
			_("To issue an invoice the deal needs at least one line and a grand total above zero."),
			title=_("Cannot Issue Invoice"),
		)
	if deal.stage == INVOICE_ISSUED:
		check_client_status(deal)
	if deal.stage == LOST and not deal.lost_reason:
		frappe.throw(
			_("Say why the deal was lost: Lost Reason is required."), title=_("Lost Reason Required")
		)
	if deal.stage == LOST and frappe.db.get_value("Deal Lost Reason", deal.lost_reason, "disabled"):
		frappe.throw(
			_("Lost Reason {0} is disabled: choose another one.").format(frappe.bold(_(deal.lost_reason))),
			title=_("Lost Reason Disabled"),
		)


def check_client_status(deal):
	"""Issue Invoice by a user and the client's Register Status (filled from the state
	register, crm_app.clients.registry.lookup): refused for a company liquidated or
	bankrupt, a warning for one being liquidated or reorganized. A company never checked
	in the register takes the status of another record with its INN (a second record of a
	liquidated company, under another KPP, is no way round the refusal)."""
	if not deal.client_company:
		return
	company = frappe.db.get_value(
		"Client Company", deal.client_company, ["company_name", "inn", "registry_status"], as_dict=True
	)
	if not company:
		return
	status = company.registry_status
	if status in (None, "", "Unknown") and company.inn:
		others = set(
			frappe.get_all(
				"Client Company",
				filters={"inn": company.inn, "name": ("!=", deal.client_company)},
				pluck="registry_status",
			)
		)
		status = next((s for s in (*REFUSED_STATUSES, *WARNED_STATUSES) if s in others), status)
	if status not in REFUSED_STATUSES | WARNED_STATUSES:
		return
	name, status_text = frappe.bold(company.company_name or deal.client_company), _(status)
	if status in REFUSED_STATUSES:
		frappe.throw(
			_(
				'The state register gives client company {0} the status "{1}": no invoice can be issued to it.'
			).format(name, status_text),
			title=_("Cannot Issue Invoice"),
		)
	frappe.msgprint(
		_(
			'The state register gives client company {0} the status "{1}": the invoice is issued, but check the client.'
		).format(name, status_text),
		title=_("Check the Client"),
		indicator="orange",
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


def _history_value(fieldname: str, value) -> str:
	if not value:
		return ""
	if fieldname == "changed_at":
		return str(get_datetime(value))
	if fieldname == "seconds_in_previous_stage":
		return str(cint(value))
	return cstr(value)


def _history_rows(rows) -> list[tuple]:
	return [(row.name, *(_history_value(f, row.get(f)) for f in HISTORY_FIELDS)) for row in rows]


def rebuild_history(deal, before, change: StageChange):
	"""The history is the saved one plus a row for this change. Rows sent by the client
	(added, edited or removed) are refused (frappe.PermissionError): the history is the
	app's."""
	saved = list(before.get("stage_history")) if before else []
	if not (change.cause == IMPORT and not before) and _history_rows(
		deal.get("stage_history")
	) != _history_rows(saved):
		frappe.throw(
			_("The stage history is written by the CRM itself, not by hand."),
			frappe.PermissionError,
			title=_("Field Not Editable"),
		)
	if change.cause == IMPORT:
		append_imported_history(deal)
	elif not before or change.from_stage != change.to_stage:
		append_history_row(deal, change, saved[-1].changed_at if saved else None)
	deal.update(funnel_fact_values(deal))


def funnel_fact_values(deal) -> dict:
	"""The deal's funnel facts, from its stage history (see pipeline.facts)."""
	rows = deal.get("stage_history")
	history = ((r.from_stage, r.stage, r.seconds_in_previous_stage, r.changed_at) for r in rows)
	return funnel_facts(history).as_fields()


def refresh_funnel_facts(deal_name: str):
	"""Recompute one deal's facts after its history rows were changed directly."""
	deal = frappe.get_doc("Deal", deal_name)
	deal.db_set(funnel_fact_values(deal), update_modified=False)


def append_history_row(deal, change: StageChange, last, at=None):
	now = at or now_datetime()
	deal.append(
		"stage_history",
		{
			"from_stage": change.from_stage,
			"stage": change.to_stage,
			"changed_at": now,
			"changed_by": frappe.session.user,
			"seconds_in_previous_stage": int(time_diff_in_seconds(now, last)) if last else None,
			"reference_doctype": change.reference_doctype,
			"reference_name": change.reference_name,
		},
	)


def append_imported_history(deal):
	"""A historical deal's history: opened at the first stage and moved to its stage when
	the file's Stage Entered At says (else now); one at Goods Shipped whose Paid At is
	given was paid then."""
	deal.set("stage_history", [])
	pipeline = get_pipeline()
	first = pipeline.first_state if pipeline else REQUEST_RECEIVED
	entered = get_datetime(deal.stage_entered_at) if deal.stage_entered_at else now_datetime()
	if deal.stage == GOODS_SHIPPED and deal.paid_at:
		steps = [(INVOICE_PAID, get_datetime(deal.paid_at)), (GOODS_SHIPPED, entered)]
	else:
		steps = [(deal.stage, entered)]
	previous, last = None, None
	for stage, at in [(first, steps[0][1]), *steps]:
		append_history_row(deal, StageChange(previous, stage, IMPORT), last, at=at)
		previous, last = stage, at
