"""The queries behind the sales analytics (Sales Forecast, Sales Performance, Lost Deals
Analysis, the number cards and the Lost Reasons chart).

Every figure comes from the facts each deal keeps (stage, grand total, probability and
expected amount, `paid_at`, `lost_at`, `lost_from_stage`, creation, expected close date),
by aggregate queries with the same own-deals rule as the deal list: no query loads the
deals into Python or reads the stage history. "Facts, not history": a deal counts as won
while it is paid (Invoice Paid or Goods Shipped) on the date it last entered Invoice Paid,
as lost while it is Lost on the date it last entered Lost.
"""

from datetime import date

from pypika.terms import LiteralValue

import frappe
from frappe import _
from frappe.query_builder import Case, CustomFunction
from frappe.query_builder.functions import Count, Sum
from frappe.utils import add_days, getdate

from crm_app.analytics.forecast import month_bounds, prorated
from crm_app.permissions.deal import restricted_user_criterion
from crm_app.pipeline.stages import INVOICE_ISSUED, LOST, PAID_STAGES

CLOSED_STAGES = (*PAID_STAGES, LOST)
DateFormat = CustomFunction("DATE_FORMAT", ["date", "format"])
SecondsBetween = CustomFunction("TIMESTAMPDIFF", ["unit", "start", "end"])


def deals(filters: dict, *, company_filter: bool = True):
	"""(Deal table, base query) for one currency, with the report's responsible and client
	company filters and the own-deals rule of the session user."""
	deal = frappe.qb.DocType("Deal")
	query = frappe.qb.from_(deal).where(deal.currency == filters["currency"])
	if filters.get("responsible"):
		query = query.where(deal.responsible == filters["responsible"])
	if company_filter and filters.get("client_company"):
		query = query.where(deal.client_company == filters["client_company"])
	if (criterion := restricted_user_criterion(deal)) is not None:
		query = query.where(criterion)
	return deal, query


def day_end(value) -> str:
	"""The last moment of a day, for Datetime facts compared with a Date filter."""
	return f"{getdate(value)} 23:59:59.999999"


def targets(from_date: date, to_date: date, currency: str, responsible: str | None = None) -> list:
	"""Sales Targets in `currency` overlapping the period (a restricted Sales User's own
	only): responsible, from_date, to_date, target_amount."""
	filters = {"currency": currency, "from_date": ("<=", to_date), "to_date": (">=", from_date)}
	if responsible:
		filters["responsible"] = responsible
	return frappe.get_list(
		"Sales Target", filters=filters, fields=["responsible", "from_date", "to_date", "target_amount"]
	)


def target_in(rows: list, start: date, end: date, responsible: str | None = None) -> float:
	"""The targets' amounts falling in [start, end], prorated by days."""
	return sum(
		prorated(row.target_amount, getdate(row.from_date), getdate(row.to_date), start, end)
		for row in rows
		if responsible is None or row.responsible == responsible
	)


# --- Sales Forecast --------------------------------------------------------------------------


def open_by_close_month(filters: dict) -> list:
	"""Open deals (not paid, shipped or lost) by month of expected close date (None for
	none): month, deals, pipeline amount, weighted amount, amount at Invoice Issued."""
	deal, query = deals(filters)
	month = DateFormat(deal.expected_close_date, "%Y-%m")
	committed = Case().when(deal.stage == INVOICE_ISSUED, deal.grand_total).else_(0)
	in_period = deal.expected_close_date.between(filters["from_date"], filters["to_date"])
	return (
		query.select(
			month.as_("month"),
			Count("*").as_("deals"),
			Sum(deal.grand_total).as_("pipeline"),
			Sum(deal.expected_amount).as_("weighted"),
			Sum(committed).as_("committed"),
		)
		.where(deal.stage.notin(CLOSED_STAGES))
		.where(in_period | deal.expected_close_date.isnull())
		.groupby(month)
	).run(as_dict=True)


def paid_by_month(filters: dict) -> list:
	"""Deals paid in the period (still paid or shipped) by month of `paid_at`: month, amount."""
	deal, query = deals(filters)
	month = DateFormat(deal.paid_at, "%Y-%m")
	return (
		query.select(month.as_("month"), Sum(deal.grand_total).as_("paid"))
		.where(deal.stage.isin(PAID_STAGES))
		.where(deal.paid_at.between(str(getdate(filters["from_date"])), day_end(filters["to_date"])))
		.groupby(month)
	).run(as_dict=True)


def forecast_targets(filters: dict) -> list:
	"""Targets for the forecast: the responsible filter's, else all the user may see."""
	return targets(
		getdate(filters["from_date"]),
		getdate(filters["to_date"]),
		filters["currency"],
		filters.get("responsible"),
	)


def month_target(rows: list, key: str, from_date: date, to_date: date) -> float:
	start, end = month_bounds(key)
	return target_in(rows, max(start, from_date), min(end, to_date))


# --- Sales Performance -----------------------------------------------------------------------


PERFORMANCE_INDEX = "performance_index"


def performance(filters: dict) -> dict[str | None, dict]:
	"""Per responsible, in the period's currency: deals created in the period, won in it
	(count, amount, seconds from creation to payment), lost in it, and the open amount now —
	one pass over a covering index in responsible order, every figure a conditional sum."""
	start, end = str(getdate(filters["from_date"])), day_end(filters["to_date"])
	deal, query = deals(filters, company_filter=False)
	if restricted_user_criterion(deal) is None:
		query = query.force_index(PERFORMANCE_INDEX)
	won = deal.stage.isin(PAID_STAGES) & deal.paid_at.between(start, end)
	lost = (deal.stage == LOST) & deal.lost_at.between(start, end)

	def count_if(condition):
		return Sum(Case().when(condition, 1).else_(0))

	rows = (
		query.select(
			deal.responsible,
			count_if(deal.creation.between(start, end)),
			count_if(won),
			Sum(Case().when(won, deal.grand_total).else_(0)),
			Sum(
				Case().when(won, SecondsBetween(LiteralValue("SECOND"), deal.creation, deal.paid_at)).else_(0)
			),
			count_if(lost),
			Sum(Case().when(deal.stage.notin(CLOSED_STAGES), deal.grand_total).else_(0)),
		).groupby(deal.responsible)
	).run()
	return {
		responsible: {
			"created": int(created or 0),
			"won": int(won_count or 0),
			"paid": float(paid or 0),
			"cycle_seconds": float(seconds or 0),
			"lost": int(lost_count or 0),
			"open": float(open_amount or 0),
		}
		for responsible, created, won_count, paid, seconds, lost_count, open_amount in rows
	}


# --- Lost Deals Analysis ---------------------------------------------------------------------


def lost_by_reason(filters: dict) -> list:
	"""Deals lost in the period (still lost) by reason and the stage they were lost from:
	lost_reason, lost_from_stage, deals, amount."""
	deal, query = deals(filters, company_filter=False)
	return (
		query.select(
			deal.lost_reason,
			deal.lost_from_stage,
			Count("*").as_("deals"),
			Sum(deal.grand_total).as_("amount"),
		)
		.where(deal.stage == LOST)
		.where(deal.lost_at.between(str(getdate(filters["from_date"])), day_end(filters["to_date"])))
		.groupby(deal.lost_reason, deal.lost_from_stage)
		.orderby(Count("*"), order=frappe.qb.desc)
	).run(as_dict=True)


def lost_count_by_reason(rows) -> dict[str, int]:
	"""reason → lost deals, from `lost_by_reason` rows (a deal without a reason under "Not Set")."""
	counts: dict[str, int] = {}
	for row in rows:
		reason = row.get("lost_reason") or "Not Set"
		counts[reason] = counts.get(reason, 0) + row.get("deals")
	return counts


# --- the reports' common parts ---------------------------------------------------------------


def currency_column() -> dict:
	"""The hidden Currency column every analytics report carries for its Currency columns."""
	return {
		"fieldname": "currency",
		"label": _("Currency"),
		"fieldtype": "Link",
		"options": "Currency",
		"hidden": 1,
	}


def report_filters(filters, default_from, default_to) -> frappe._dict:
	"""A report's filters: the currency defaults to the settings' one, the dates to the given
	ones; a period that ends before it starts is refused."""
	from frappe import _

	from crm_app.settings import default_currency

	filters = frappe._dict(filters or {})
	filters.currency = filters.currency or default_currency()
	filters.from_date = getdate(filters.from_date or default_from)
	filters.to_date = getdate(filters.to_date or default_to)
	if filters.from_date > filters.to_date:
		frappe.throw(_("From Date cannot be after To Date."), title=_("Invalid Period"))
	return filters


def quarter_bounds(today: date) -> tuple[date, date]:
	first_month = 3 * ((today.month - 1) // 3) + 1
	start = date(today.year, first_month, 1)
	end = add_days(date(today.year + (first_month == 10), 1 if first_month == 10 else first_month + 3, 1), -1)
	return start, getdate(end)
