# Copyright (c) 2026, crm_app contributors
# For license information, please see license.txt

"""Sales Funnel: for each workflow state in order, the deals now at the stage and
their sum, the deals that ever reached it, the conversion from the previous
stage, the average time spent in it, and where lost deals were lost from.

Everything is computed by aggregate queries (no Python loop over deals):
one GROUP BY over Deal for the current figures, one pass over the stage log
grouped by deal (per-deal "reached" flags summed per stage and per pair of
stages), one GROUP BY for times and one for lost deals.
"""

import frappe
from frappe import _
from frappe.query_builder import Case, Field
from frappe.query_builder.functions import Avg, Count, Max, Sum
from frappe.utils import add_days, getdate

from crm_app.permissions.deal import restricted_user_criterion
from crm_app.pipeline.workflow import stage_options
from crm_app.utils.pipeline import LOST, FunnelAggregates, assemble_funnel, funnel_pairs
from crm_app.utils.settings import default_currency


def execute(filters=None):
	filters = frappe._dict(filters or {})
	filters.currency = filters.currency or default_currency()
	states = stage_options()
	agg = get_aggregates(states, filters)
	rows = assemble_funnel(states, agg)
	data = [
		{
			"stage": _(row.stage),
			"stage_name": row.stage,
			"current_count": row.current_count,
			"current_amount": row.current_amount,
			"currency": filters.currency,
			"reached": row.reached,
			"conversion": row.conversion,
			"avg_days_in_stage": row.avg_days_in_stage,
			"lost_from": row.lost_from,
		}
		for row in rows
	]
	return get_columns(), data, None, get_chart(data)


def get_columns():
	return [
		{"fieldname": "stage", "label": _("Stage"), "fieldtype": "Data", "width": 160},
		{"fieldname": "current_count", "label": _("Deals Now"), "fieldtype": "Int", "width": 100},
		{
			"fieldname": "current_amount",
			"label": _("Amount Now"),
			"fieldtype": "Currency",
			"options": "currency",
			"width": 140,
		},
		{"fieldname": "reached", "label": _("Reached in Period"), "fieldtype": "Int", "width": 130},
		{"fieldname": "conversion", "label": _("Conversion (%)"), "fieldtype": "Percent", "width": 130},
		{
			"fieldname": "avg_days_in_stage",
			"label": _("Avg Days in Stage"),
			"fieldtype": "Float",
			"width": 130,
		},
		{"fieldname": "lost_from", "label": _("Lost from Here"), "fieldtype": "Int", "width": 120},
		{
			"fieldname": "currency",
			"label": _("Currency"),
			"fieldtype": "Link",
			"options": "Currency",
			"hidden": 1,
		},
	]


def get_chart(data):
	return {
		"data": {
			"labels": [row["stage"] for row in data],
			"datasets": [
				{"name": _("Reached in Period"), "values": [row["reached"] for row in data]},
				{"name": _("Deals Now"), "values": [row["current_count"] for row in data]},
			],
		},
		"type": "bar",
		"barOptions": {"stacked": 0},
	}


def deal_conditions(deal, filters):
	conditions = [deal.currency == filters.currency]
	if filters.from_date:
		conditions.append(deal.creation >= getdate(filters.from_date))
	if filters.to_date:
		conditions.append(deal.creation < add_days(getdate(filters.to_date), 1))
	if filters.responsible:
		conditions.append(deal.responsible == filters.responsible)
	if filters.client_company:
		conditions.append(deal.client_company == filters.client_company)
	if (criterion := restricted_user_criterion(deal)) is not None:
		conditions.append(criterion)
	return conditions


def _where(query, conditions):
	for condition in conditions:
		query = query.where(condition)
	return query


def get_aggregates(states: list[str], filters) -> FunnelAggregates:
	deal = frappe.qb.DocType("Deal")
	log = frappe.qb.DocType("Deal Stage Log")
	conditions = deal_conditions(deal, filters)
	agg = FunnelAggregates()

	now = _where(
		frappe.qb.from_(deal).select(deal.stage, Count("*"), Sum(deal.grand_total)).groupby(deal.stage),
		conditions,
	).run()
	agg.now_count = {stage: count for stage, count, _amount in now}
	agg.now_amount = {stage: amount for stage, _count, amount in now}

	# One pass over the log grouped by deal: a 0/1 flag per stage, summed outside.
	flags = {state: f"r{i}" for i, state in enumerate(states)}
	per_deal = _where(
		frappe.qb.from_(log)
		.join(deal)
		.on(deal.name == log.parent)
		.select(
			*(Max(Case().when(log.stage == state, 1).else_(0)).as_(alias) for state, alias in flags.items())
		)
		.where(log.parenttype == "Deal")
		.groupby(log.parent),
		conditions,
	)
	pairs = funnel_pairs(states)
	totals = (
		frappe.qb.from_(per_deal)
		.select(
			*(Sum(Field(alias, table=per_deal)) for alias in flags.values()),
			*(Sum(Field(flags[a], table=per_deal) * Field(flags[b], table=per_deal)) for a, b in pairs),
		)
		.run()
	)
	values = [int(v or 0) for v in (totals[0] if totals else [])] or [0] * (len(flags) + len(pairs))
	agg.reached = dict(zip(flags, values[: len(flags)], strict=True))
	agg.reached_both = dict(zip(pairs, values[len(flags) :], strict=True))

	seconds = _where(
		frappe.qb.from_(log)
		.join(deal)
		.on(deal.name == log.parent)
		.select(log.from_stage, Sum(log.seconds_in_previous_stage), Count("*"))
		.where(log.parenttype == "Deal")
		.where(log.from_stage.notnull() & (log.from_stage != ""))
		.groupby(log.from_stage),
		conditions,
	).run()
	agg.seconds_in_stage = {stage: (total or 0, count) for stage, total, count in seconds}

	lost = _where(
		frappe.qb.from_(log)
		.join(deal)
		.on(deal.name == log.parent)
		.select(log.from_stage, Count("*"))
		.where(log.parenttype == "Deal")
		.where(log.stage == LOST)
		.groupby(log.from_stage),
		conditions,
	).run()
	agg.lost_from = {stage: count for stage, count in lost if stage}
	return agg
