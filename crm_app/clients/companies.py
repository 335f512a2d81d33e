"""Client Companies as other elements read them."""

import frappe


def inns(companies) -> dict[str, str]:
	"""{Client Company: INN} of the named companies (empty names left out), in one query."""
	names = [c for c in companies if c]
	if not names:
		return {}
	return dict(
		frappe.get_all(
			"Client Company", filters={"name": ("in", names)}, fields=["name", "inn"], as_list=True
		)
	)
