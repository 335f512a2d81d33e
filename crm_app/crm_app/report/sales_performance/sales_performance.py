# Copyright (c) 2026, crm_app contributors
# For license information, please see license.txt

"""Sales Performance: one row per responsible for the period — deals created, won (entered
Invoice Paid in the period and still paid), lost (entered Lost in the period and still
lost), win rate, the amount paid, the average days from creation to payment of the won
deals, what is open now, the target (prorated to the period) and how much of it was
achieved — and a total row. One currency at a time; aggregate queries over the deals'
facts (analytics.reports)."""

import frappe
from frappe import _
from frappe.utils import flt, getdate

from crm_app.analytics import reports as analytics
from crm_app.analytics.forecast import achieved, cycle_days, win_rate


def execute(filters=None):
	filters = analytics.report_filters(
		filters, analytics.quarter_bounds(getdate())[0], frappe.utils.nowdate()
	)
	return get_columns(), get_data(filters)


def get_data(filters) -> list[dict]:
	people = analytics.performance(filters)
	targets = analytics.targets(filters.from_date, filters.to_date, filters.currency)
	for target in targets:
		people.setdefault(
			target.responsible,
			{"created": 0, "won": 0, "paid": 0.0, "cycle_seconds": 0.0, "lost": 0, "open": 0.0},
		)
	rows = [
		make_row(
			person, facts, analytics.target_in(targets, filters.from_date, filters.to_date, person), filters
		)
		for person, facts in sorted(people.items(), key=lambda item: (item[0] is None, item[0] or ""))
	]
	total = {
		key: sum(f[key] for f in people.values())
		for key in ("created", "won", "paid", "cycle_seconds", "lost", "open")
	}
	rows.append(
		make_row(None, total, analytics.target_in(targets, filters.from_date, filters.to_date), filters)
		| {"responsible": _("Total"), "is_total": 1}
	)
	return rows


def make_row(person, facts: dict, target: float, filters) -> dict:
	return {
		"responsible": person or _("Not Assigned"),
		"deals_created": facts["created"],
		"deals_won": facts["won"],
		"deals_lost": facts["lost"],
		"win_rate": win_rate(facts["won"], facts["lost"]),
		"paid_amount": flt(facts["paid"], 2),
		"avg_cycle_days": cycle_days(facts["cycle_seconds"], facts["won"]),
		"open_amount": flt(facts["open"], 2),
		"target_amount": flt(target, 2),
		"target_achieved": achieved(facts["paid"], target),
		"currency": filters.currency,
	}


def get_columns() -> list[dict]:
	amount = {"fieldtype": "Currency", "options": "currency", "width": 140}
	return [
		{"fieldname": "responsible", "label": _("Responsible"), "fieldtype": "Data", "width": 200},
		{"fieldname": "deals_created", "label": _("Deals Created"), "fieldtype": "Int", "width": 110},
		{"fieldname": "deals_won", "label": _("Deals Won"), "fieldtype": "Int", "width": 100},
		{"fieldname": "deals_lost", "label": _("Deals Lost"), "fieldtype": "Int", "width": 100},
		{"fieldname": "win_rate", "label": _("Win Rate (%)"), "fieldtype": "Percent", "width": 110},
		{"fieldname": "paid_amount", "label": _("Paid Amount"), **amount},
		{"fieldname": "avg_cycle_days", "label": _("Avg Cycle (Days)"), "fieldtype": "Float", "width": 120},
		{"fieldname": "open_amount", "label": _("Open Amount"), **amount},
		{"fieldname": "target_amount", "label": _("Target"), **amount},
		{
			"fieldname": "target_achieved",
			"label": _("Target Achieved (%)"),
			"fieldtype": "Percent",
			"width": 140,
		},
		analytics.currency_column(),
	]
