# Copyright (c) 2026, crm_app contributors
# For license information, please see license.txt

"""Sales Funnel: for each workflow state in order, the deals now at the stage and
their sum, the deals that ever reached it, the conversion from the previous
stage, the average time spent in it, and where lost deals were lost from.

One aggregate pass over Deal, read from a covering index: the deals are grouped
by their stage and their funnel facts (stages reached and left, stage of the last
loss, under one integer key: see pipeline.facts), with counts, amounts and the
seconds spent in each standard stage summed per group; the few groups are
combined in Python. The history
table is read only for stages a site added itself, and then only their rows.
"""

import frappe
from frappe import _
from frappe.query_builder.functions import Count, Min, Sum
from frappe.utils import add_days, flt, getdate

from crm_app.analytics.funnel import FactGroup, FunnelAggregates, aggregate_groups, assemble_funnel
from crm_app.analytics.reports import currency_column
from crm_app.permissions.deal import restricted_user_criterion
from crm_app.pipeline.facts import STAGE_SECONDS_FIELDS
from crm_app.pipeline.workflow import stage_options
from crm_app.settings import default_currency


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
		currency_column(),
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
	conditions = deal_conditions(deal, filters)
	seconds_columns = list(STAGE_SECONDS_FIELDS.items())
	# Read from the covering index (currency, stage, funnel_key, …) in its order;
	# MIN(name) names one deal of each group, whose stage facts label the group.
	rows = _where(
		frappe.qb.from_(deal)
		.select(
			deal.stage,
			deal.funnel_key,
			Min(deal.name),
			Count("*"),
			Sum(deal.grand_total),
			*(Sum(getattr(deal, fieldname)) for _stage, fieldname in seconds_columns),
		)
		.groupby(deal.currency, deal.stage, deal.funnel_key),
		conditions,
	).run()
	facts = {}
	if rows:
		facts = {
			r.name: r
			for r in frappe.get_all(
				"Deal",
				filters={"name": ("in", [row[2] for row in rows])},
				fields=["name", "reached_stages", "left_stages", "lost_from_stage"],
			)
		}
	groups = [
		FactGroup(
			stage=row[0],
			reached_stages=facts[row[2]].reached_stages or "",
			left_stages=facts[row[2]].left_stages or "",
			lost_from_stage=facts[row[2]].lost_from_stage or "",
			count=row[3],
			amount=flt(row[4]),
			seconds={stage: flt(value) for (stage, _f), value in zip(seconds_columns, row[5:], strict=True)},
		)
		for row in rows
	]
	other_stages = [s for s in states if s not in STAGE_SECONDS_FIELDS]
	return aggregate_groups(states, groups, other_stage_seconds(other_stages, conditions, deal))


def other_stage_seconds(stages: list[str], conditions, deal) -> dict[str, tuple[float, int]]:
	"""(total seconds, deals that left) for stages without a seconds column, from
	their own history rows (indexed by from_stage)."""
	if not stages:
		return {}
	log = frappe.qb.DocType("Deal Stage Log")
	rows = _where(
		frappe.qb.from_(log)
		.join(deal)
		.on(deal.name == log.parent)
		.select(log.from_stage, Sum(log.seconds_in_previous_stage), Count(log.parent).distinct())
		.where(log.parenttype == "Deal")
		.where(log.from_stage.isin(stages))
		.groupby(log.from_stage),
		conditions,
	).run()
	return {stage: (flt(total), count) for stage, total, count in rows}
