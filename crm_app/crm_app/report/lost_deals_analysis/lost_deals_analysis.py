# Copyright (c) 2026, crm_app contributors
# For license information, please see license.txt

"""Lost Deals Analysis: the deals lost in the period (and still lost) by reason and by the
stage they were lost from — how many, their amount, their share of the period's lost
deals — with a chart by reason. One currency at a time; one aggregate query over the
deals' facts (pipeline.analytics)."""

import frappe
from frappe import _
from frappe.utils import flt, getdate

from crm_app.pipeline import analytics
from crm_app.utils.settings import default_currency


def execute(filters=None):
	filters = frappe._dict(filters or {})
	filters.currency = filters.currency or default_currency()
	filters.from_date = getdate(filters.from_date or frappe.utils.add_months(frappe.utils.nowdate(), -3))
	filters.to_date = getdate(filters.to_date or frappe.utils.nowdate())
	if filters.from_date > filters.to_date:
		frappe.throw(_("From Date cannot be after To Date."), title=_("Invalid Period"))
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
		{
			"fieldname": "currency",
			"label": _("Currency"),
			"fieldtype": "Link",
			"options": "Currency",
			"hidden": 1,
		},
	]


def get_chart(data: list[dict]) -> dict:
	by_reason: dict[str, int] = {}
	for row in data:
		reason = row["lost_reason"] or _("Not Set")
		by_reason[reason] = by_reason.get(reason, 0) + row["deals"]
	return {
		"data": {
			"labels": [_(reason) for reason in by_reason],
			"datasets": [{"name": _("Lost Deals"), "values": list(by_reason.values())}],
		},
		"type": "bar",
	}
