"""Number card values and chart data that a plain DocType filter cannot express, or that
must not be shared between users: Frappe caches a Dashboard Chart's data per chart, for
everyone, so the charts here are chart sources without that cache — a Sales User who sees
only their own deals never sees a manager's figures."""

import frappe
from frappe import _
from frappe.query_builder.functions import Count, Sum
from frappe.utils import add_months, get_first_day, get_last_day, getdate, nowdate

from crm_app.permissions.deal import restricted_user_criterion
from crm_app.pipeline.stages import PAID_STAGES
from crm_app.settings import default_currency


@frappe.whitelist()
def paid_this_month(filters=None) -> dict:
	"""{"value": sum of grand totals, "fieldtype": "Currency", "route": …}: the deals in the
	default currency that are paid now (at Invoice Paid or Goods Shipped) and entered
	Invoice Paid this calendar month (`Deal.paid_at`, a fact kept by the pipeline) — the
	Sales Forecast's "paid" for this month. A payment cancelled later takes the deal out:
	what counts is the deal's state, never a history row. A Sales User restricted to own
	deals sees only theirs."""
	from crm_app.analytics import reports as analytics

	frappe.has_permission("Deal", "read", throw=True)
	start = get_first_day(nowdate())
	month = frappe._dict(currency=default_currency(), from_date=start, to_date=get_last_day(start))
	total = sum(row.paid or 0 for row in analytics.paid_by_month(month))
	return {"value": total, "fieldtype": "Currency", "route": ["List", "Deal"]}


@frappe.whitelist()
def win_rate_this_quarter(filters=None) -> dict:
	"""{"value": %, "fieldtype": "Percent", "precision": 1}: of the deals in the default
	currency closed this quarter, the share won — paid (and still paid) against lost (and
	still lost). The card draws it with one decimal ("59.5 %"), not the system's three."""
	from crm_app.analytics import reports as analytics
	from crm_app.analytics.forecast import win_rate

	frappe.has_permission("Deal", "read", throw=True)
	start, end = analytics.quarter_bounds(getdate(nowdate()))
	people = analytics.performance(frappe._dict(currency=default_currency(), from_date=start, to_date=end))
	won = sum(p["won"] for p in people.values())
	lost = sum(p["lost"] for p in people.values())
	return {
		"value": win_rate(won, lost) or 0,
		"fieldtype": "Percent",
		"precision": 1,
		"route": ["query-report", "Sales Performance"],
	}


@frappe.whitelist()
def weighted_pipeline(filters=None) -> dict:
	"""{"value": Σ expected amount, "fieldtype": "Currency"}: the open deals in the default
	currency, each weighted by its stage's probability."""
	from crm_app.analytics.reports import CLOSED_STAGES

	frappe.has_permission("Deal", "read", throw=True)
	deal = frappe.qb.DocType("Deal")
	query = (
		frappe.qb.from_(deal)
		.select(Sum(deal.expected_amount))
		.where(deal.stage.notin(CLOSED_STAGES))
		.where(deal.currency == default_currency())
	)
	if (criterion := restricted_user_criterion(deal)) is not None:
		query = query.where(criterion)
	return {
		"value": query.run()[0][0] or 0,
		"fieldtype": "Currency",
		"route": ["query-report", "Sales Forecast"],
	}


def _chart(labels: list[str], values: list, name: str) -> dict:
	return {"labels": labels, "datasets": [{"name": name, "values": values}]}


@frappe.whitelist()
def lost_reasons_chart(chart_name=None, chart=None, no_cache=None, filters=None, **kwargs) -> dict:
	"""Chart source "Lost Reasons": deals lost (and still lost) by reason, in the last 12
	months, as the session user may see them; never cached across users."""
	from crm_app.analytics import reports as analytics

	frappe.has_permission("Deal", "read", throw=True)
	rows = analytics.lost_by_reason(
		frappe._dict(currency=default_currency(), from_date=add_months(nowdate(), -12), to_date=nowdate())
	)
	by_reason = analytics.lost_count_by_reason(rows)
	return _chart([_(r) for r in by_reason], list(by_reason.values()), _("Lost Deals"))


@frappe.whitelist()
def deals_by_stage_chart(chart_name=None, chart=None, no_cache=None, filters=None, **kwargs) -> dict:
	"""Chart source "Deals by Stage": how many deals sit at each stage, in pipeline order, as
	the session user may see them; never cached across users."""
	from crm_app.pipeline.workflow import stage_options

	frappe.has_permission("Deal", "read", throw=True)
	deal = frappe.qb.DocType("Deal")
	query = frappe.qb.from_(deal).select(deal.stage, Count("*")).groupby(deal.stage)
	if (criterion := restricted_user_criterion(deal)) is not None:
		query = query.where(criterion)
	counts = dict(query.run())
	stages = stage_options()
	return _chart([_(s) for s in stages], [counts.get(s, 0) for s in stages], _("Deals"))
