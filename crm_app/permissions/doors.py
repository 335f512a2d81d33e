"""Frappe's whitelisted methods that count or sum rows outside `frappe.get_list`, made to
keep the row rules (`permission_query_conditions`) of every DocType that has one (Deal,
Sales Target, any added later): wired through `override_whitelisted_methods` in hooks.py,
each a thin wrapper of Frappe's own function. The README (Row rules on every door) lists
every Frappe method that reads rows and how each keeps the rule.
"""

import frappe
from frappe.desk import listview

from crm_app.compat import aggregate

FRAPPE_GROUP_BY_COUNT = listview.get_group_by_count


def has_row_rule(doctype: str) -> bool:
	"""Does any installed app restrict the rows of `doctype` for some users?"""
	return bool(frappe.get_hooks("permission_query_conditions", {}).get(doctype))


@frappe.whitelist()
def get_group_by_count(doctype: str, current_filters: str, field: str) -> list[dict]:
	"""The list sidebar's counts (`frappe.desk.listview.get_group_by_count`): [{"name":
	value, "count": n}], at most 50, largest first. Frappe 15 counts "Assigned To" over every
	row matching the filters, whatever the user may see (a count that tells a hidden deal's
	amount through a filter on it); here, for a DocType with a row rule, "Assigned To" is
	counted from the rows `frappe.get_list` gives the user (their `_assign`, the open
	assignments Frappe keeps on each row), on Frappe 15 and 16 alike. Other fields and
	DocTypes: Frappe's function as it is."""
	if field != "assigned_to" or not has_row_rule(doctype):
		return FRAPPE_GROUP_BY_COUNT(doctype, current_filters, field)
	frappe.has_permission(doctype, "read", throw=True)
	groups = frappe.get_list(
		doctype,
		filters=frappe.parse_json(current_filters) or [],
		fields=["_assign", aggregate("count", "*", "count")],
		group_by="_assign",
		order_by="",
		limit_page_length=0,
	)
	counts: dict[str, int] = {}
	for group in groups:
		for user in set(frappe.parse_json(group._assign or "[]") or []):
			counts[user] = counts.get(user, 0) + group.count
	system_users = set(
		frappe.get_all(
			"User", filters={"name": ("in", list(counts)), "user_type": "System User"}, pluck="name"
		)
	)
	rows = sorted(((u, n) for u, n in counts.items() if u in system_users), key=lambda r: (-r[1], r[0]))
	return [frappe._dict(name=user, count=count) for user, count in rows[:50]]
