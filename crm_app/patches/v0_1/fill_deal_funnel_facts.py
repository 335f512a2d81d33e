"""Deals saved before the funnel facts existed get them from their stage history,
in batches (history rows of a batch in one query, values written in one statement
per deal)."""

from itertools import groupby

import frappe

from crm_app.pipeline.facts import funnel_facts

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
	updates = {
		deal: funnel_facts(row[1:] for row in history).as_fields()
		for deal, history in groupby(rows, key=lambda r: r[0])
	}
	if updates:
		frappe.db.bulk_update("Deal", updates, update_modified=False)
