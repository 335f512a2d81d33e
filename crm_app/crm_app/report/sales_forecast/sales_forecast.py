# Copyright (c) 2026, crm_app contributors
# For license information, please see license.txt

"""Sales Forecast: for each month of the period, the open deals expected to close then
(count, pipeline amount, weighted by their stage's probability, the part already invoiced),
what was paid in that month, and the sales targets falling in it (prorated by days); a
row "No Close Date" holds the open deals without an expected close date. One currency at a
time; two aggregate queries over the deals' facts (analytics.reports)."""

import frappe
from frappe import _
from frappe.utils import flt

from crm_app.analytics import reports as analytics
from crm_app.analytics.forecast import NO_CLOSE_DATE, months_between

AMOUNTS = ("pipeline_amount", "weighted_amount", "committed_amount", "paid_amount", "target_amount")


def execute(filters=None):
	filters = prepare(filters)
	data = get_data(filters)
	return get_columns(), data, None, get_chart(data)


def prepare(filters) -> frappe._dict:
	start = frappe.utils.get_first_day(frappe.utils.nowdate())
	return analytics.report_filters(
		filters, start, frappe.utils.add_days(frappe.utils.add_months(start, 6), -1)
	)


def get_data(filters) -> list[dict]:
	months = months_between(filters.from_date, filters.to_date)
	rows = {
		key: {"month": key, "open_deals": 0, **dict.fromkeys(AMOUNTS, 0.0), "currency": filters.currency}
		for key in [*months, NO_CLOSE_DATE]
	}
	for group in analytics.open_by_close_month(filters):
		row = rows[group.month or NO_CLOSE_DATE]
		row.update(
			open_deals=group.deals,
			pipeline_amount=flt(group.pipeline),
			weighted_amount=flt(group.weighted),
			committed_amount=flt(group.committed),
		)
	for group in analytics.paid_by_month(filters):
		rows[group.month]["paid_amount"] = flt(group.paid)
	targets = analytics.forecast_targets(filters)
	for key in months:
		rows[key]["target_amount"] = flt(
			analytics.month_target(targets, key, filters.from_date, filters.to_date), 2
		)
	data = list(rows.values())
	data[-1]["month"] = _(NO_CLOSE_DATE)
	return data


def get_columns() -> list[dict]:
	amount = {"fieldtype": "Currency", "options": "currency", "width": 150}
	return [
		{"fieldname": "month", "label": _("Month"), "fieldtype": "Data", "width": 120},
		{"fieldname": "open_deals", "label": _("Open Deals"), "fieldtype": "Int", "width": 100},
		{"fieldname": "pipeline_amount", "label": _("Pipeline Amount"), **amount},
		{"fieldname": "weighted_amount", "label": _("Weighted Amount"), **amount},
		{"fieldname": "committed_amount", "label": _("Invoiced (Committed)"), **amount},
		{"fieldname": "paid_amount", "label": _("Paid"), **amount},
		{"fieldname": "target_amount", "label": _("Target"), **amount},
		analytics.currency_column(),
	]


def get_chart(data: list[dict]) -> dict:
	months = data[:-1]  # the No Close Date row has no month to draw
	return {
		"data": {
			"labels": [row["month"] for row in months],
			"datasets": [
				{"name": _("Weighted"), "values": [row["weighted_amount"] for row in months]},
				{"name": _("Paid"), "values": [row["paid_amount"] for row in months]},
				{"name": _("Target"), "values": [row["target_amount"] for row in months]},
			],
		},
		"type": "bar",
		"fieldtype": "Currency",
	}
