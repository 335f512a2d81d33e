"""Deals saved before the funnel facts existed get them from their stage history,
in batches (history rows of a batch in one query, values written in one statement
per deal)."""

from itertools import groupby

import frappe

from crm_app.utils.pipeline import funnel_facts

BATCH = 2000


def execute():
	names = frappe.get_all(
		"Deal", filters={"reached_stages": ("is", "not set")}, pluck="name", order_by="name"
	)
	for start in range(0, len(names), BATCH):
		fill(names[start : start + BATCH])


def fill(names: list[str]):
	log = frappe.qb.DocType("Deal Stage Log")
	rows = (
		frappe.qb.from_(log)
		.select(log.parent, log.from_stage, log.stage, log.seconds_in_previous_stage, log.changed_at)
		.where((log.parenttype == "Deal") & log.parent.isin(names))
		.orderby(log.parent)
		.orderby(log.idx)
		.run()
	)
	updates = {}
	for deal, history in groupby(rows, key=lambda r: r[0]):
		history = list(history)
		values = funnel_facts((r[1], r[2], r[3]) for r in history).as_fields()
		values["stage_entered_at"] = history[-1][4]
		updates[deal] = values
	if updates:
		frappe.db.bulk_update("Deal", updates, update_modified=False)
