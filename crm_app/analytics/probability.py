"""Stage probabilities: the chance that a deal at a stage gets paid.

CRM App Settings keep one row per stage (table Stage Probabilities): the Fixed value an
admin sets, and the Measured one — of the deals created in the history window that reached
the stage and are closed now, the share now paid or shipped (`forecast.measured_probabilities`)
— with how many closed deals it rests on. With the Measured source a stage that fewer than
20 closed deals reached takes its fixed value. A deal's `probability` is a lookup in that
table, and `expected_amount` its grand total times that probability; both are kept on every
save and rewritten for all deals of a stage when the table changes (measured by a daily job
or on demand, edited by an admin).
"""

import frappe
from frappe import _
from frappe.query_builder.functions import Count, Max, Round
from frappe.utils import add_months, now_datetime

from crm_app.analytics.forecast import (
	MIN_MEASURED_DEALS,
	ClosedGroup,
	effective_probability,
	expected_amount,
	measured_probabilities,
)
from crm_app.pipeline.stages import LOST, PAID_STAGES
from crm_app.pipeline.workflow import pipeline_from, stage_options
from crm_app.settings import SETTINGS, get_settings

DEFAULTS = {
	"Request Received": 10,
	"Negotiation": 30,
	"Invoice Issued": 80,
	"Invoice Paid": 100,
	"Goods Shipped": 100,
	"Lost": 0,
}
DEFAULT_HISTORY_MONTHS = 12


def stage_probabilities() -> dict[str, float]:
	"""stage → the probability (%) its deals carry now, from the cached settings."""
	settings = get_settings()
	source = settings.get("forecast_probability_source") or "Measured"
	return {
		row.stage: effective_probability(
			row.probability,
			row.measured_probability if (row.measured_deals or 0) >= MIN_MEASURED_DEALS else None,
			source,
		)
		for row in settings.get("stage_probabilities") or []
	}


def apply_to_deal(deal):
	"""Called from Deal.validate after the totals: the deal's probability and expected amount."""
	deal.probability = stage_probabilities().get(deal.stage, DEFAULTS.get(deal.stage, 0))
	deal.expected_amount = expected_amount(
		deal.grand_total, deal.probability, int(deal.precision("expected_amount") or 2)
	)


def ensure_stage_rows(stages: list[str] | None = None) -> list[str]:
	"""A row for every stage of the pipeline (`stages`, default: the active workflow's): the
	standard stages with their default values, a stage an admin added with the value of the
	stage before it. Existing rows are never changed. Returns the stages added."""
	settings = frappe.get_single(SETTINGS)
	have = {row.stage: row.probability for row in settings.stage_probabilities}
	added, previous = [], 0.0
	for stage in stages or stage_options():
		if stage in have:
			previous = have[stage]
			continue
		value = DEFAULTS.get(stage, previous)
		settings.append("stage_probabilities", {"stage": stage, "probability": value})
		have[stage] = previous = value
		added.append(stage)
	if added:
		settings.flags.ignore_permissions = True
		settings.save()
		frappe.clear_document_cache(SETTINGS, SETTINGS)
	return added


def on_workflow_update(doc, method=None):
	"""doc_event on Workflow: a stage an admin adds to the Deal Pipeline gets its row. The
	stages are read from the saved document: Frappe refreshes the cached Workflow only after
	on_update."""
	if doc.document_type == "Deal" and doc.is_active:
		ensure_stage_rows(pipeline_from(doc).states)


def closed_groups(since) -> list[ClosedGroup]:
	"""Closed deals created since `since`, grouped by their stage and funnel facts (one
	aggregate query; deals sharing a funnel key share their reached stages)."""
	deal = frappe.qb.DocType("Deal")
	rows = (
		frappe.qb.from_(deal)
		.select(deal.stage, Max(deal.reached_stages), Count("*"))
		.where(deal.creation >= since)
		.where(deal.stage.isin([*PAID_STAGES, LOST]))
		.groupby(deal.stage, deal.funnel_key)
	).run()
	return [ClosedGroup(stage, reached or "", count) for stage, reached, count in rows]


def measure(now=None) -> dict[str, dict]:
	"""Measure every stage's probability on the deals created in the settings' history
	window (Int months, empty: 12), store it in the settings' rows and rewrite the deals'
	probabilities. Daily job (hooks: scheduler_events) and `measure_now`.
	Returns {stage: {"measured_probability": % or None, "measured_deals": int}}."""
	ensure_stage_rows()
	settings = frappe.get_single(SETTINGS)
	months = settings.get("forecast_history_months") or DEFAULT_HISTORY_MONTHS
	since = add_months(now or now_datetime(), -months)
	measured = measured_probabilities(stage_options(), closed_groups(since))
	for row in settings.stage_probabilities:
		found = measured.get(row.stage)
		row.measured_probability = (found.probability or 0) if found else 0
		row.measured_deals = found.closed_deals if found else 0
	settings.flags.ignore_permissions = True
	settings.save()
	frappe.clear_document_cache(SETTINGS, SETTINGS)
	apply_to_deals()
	return {
		stage: {"measured_probability": m.probability, "measured_deals": m.closed_deals}
		for stage, m in measured.items()
	}


def apply_to_deals():
	"""Rewrite `probability` and `expected_amount` of the deals of every stage whose
	probability differs from the table's (one UPDATE per stage that changed)."""
	deal = frappe.qb.DocType("Deal")
	for stage, probability in stage_probabilities().items():
		(
			frappe.qb.update(deal)
			.set(deal.probability, probability)
			.set(deal.expected_amount, Round(deal.grand_total * probability / 100, 2))
			.where(deal.stage == stage)
			.where((deal.probability != probability) | deal.probability.isnull())
		).run()


@frappe.whitelist(methods=["POST"])
def measure_now() -> dict:
	"""The settings form's "Measure Now" button (Sales Manager or System Manager)."""
	frappe.only_for(("Sales Manager", "System Manager"))
	result = measure()
	frappe.msgprint(_("Stage probabilities measured."), alert=True)
	return result
