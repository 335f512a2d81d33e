"""Deals whose old free-text lost reason now sits in Lost Notes get a Lost Reason from the
list: the reason of the same name (letter case and spaces aside), else "Other"."""

import frappe

from crm_app.pipeline.setup import OTHER_REASON, ensure_lost_reasons


def execute():
	ensure_lost_reasons()
	reasons = {name.strip().lower(): name for name in frappe.get_all("Deal Lost Reason", pluck="name")}
	deals = frappe.get_all(
		"Deal",
		filters={"lost_notes": ("is", "set"), "lost_reason": ("is", "not set")},
		fields=["name", "lost_notes"],
	)
	by_reason: dict[str, list[str]] = {}
	for deal in deals:
		reason = reasons.get((deal.lost_notes or "").strip().lower(), OTHER_REASON)
		by_reason.setdefault(reason, []).append(deal.name)
	table = frappe.qb.DocType("Deal")
	for reason, names in by_reason.items():
		for start in range(0, len(names), 1000):
			frappe.qb.update(table).set(table.lost_reason, reason).where(
				table.name.isin(names[start : start + 1000])
			).run()
