# Copyright (c) 2026, crm_app contributors
# For license information, please see license.txt

"""Lost Deals Analysis: the deals lost in the period (and still lost) by reason and by the
stage they were lost from — how many, their amount, their share of the period's lost
deals — with a chart by reason. One currency at a time; one aggregate query over the
deals' facts (analytics.reports)."""

import frappe
from frappe import _
from frappe.utils import flt

from crm_app.analytics import reports as analytics


def execute(filters=None):
	today = frappe.utils.nowdate()
	filters = analytics.report_filters(filters, frappe.utils.add_months(today, -3), today)
	data = get_data(filters)
	return get_columns(), data, None, get_chart(data)


def get_data(filters) -> list[dict]:
	groups = analytics.lost_by_reason(filters)
	total = sum(group.deals for group in groups)
	return [
		{
			"lost_reason": group.lost_reason,
			"lost_from_stage": _(group.lost_from_stage) if group.lost_from_stage else None,
			"deals": group.deals,
			"amount": flt(group.amount, 2),
			"share": round(100 * group.deals / total, 2) if total else None,
			"currency": filters.currency,
		}
		for group in groups
	]


def get_columns() -> list[dict]:
	return [
		{
			"fieldname": "lost_reason",
			"label": _("Lost Reason"),
			"fieldtype": "Link",
			"options": "Deal Lost Reason",
			"width": 170,
		},
		{"fieldname": "lost_from_stage", "label": _("Lost From Stage"), "fieldtype": "Data", "width": 160},
		{"fieldname": "deals", "label": _("Deals"), "fieldtype": "Int", "width": 90},
		{
			"fieldname": "amount",
			"label": _("Amount"),
			"fieldtype": "Currency",
			"options": "currency",
			"width": 150,
		},
		{"fieldname": "share", "label": _("Share (%)"), "fieldtype": "Percent", "width": 110},
		analytics.currency_column(),
	]


def get_chart(data: list[dict]) -> dict:
	by_reason = analytics.lost_count_by_reason(data)
	return {
		"data": {
			"labels": [_(reason) for reason in by_reason],
			"datasets": [{"name": _("Lost Deals"), "values": list(by_reason.values())}],
		},
		"type": "bar",
	}
