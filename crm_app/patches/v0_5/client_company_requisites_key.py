"""Fill Client Company's requisites key (INN/KPP, under a unique index) on sites that
existed before it. Companies an older version let in as duplicates of one INN and KPP keep
no key but the oldest: the duplicate check names the oldest whenever one of them is saved,
so they can be merged by hand."""

import frappe

from crm_app.clients.requisites import requisites_key


def execute():
	taken = set(
		frappe.get_all("Client Company", filters={"requisites_key": ("is", "set")}, pluck="requisites_key")
	)
	for row in frappe.get_all(
		"Client Company",
		filters={"inn": ("is", "set"), "requisites_key": ("is", "not set")},
		fields=["name", "inn", "kpp"],
		order_by="creation asc",
	):
		key = requisites_key(row.inn, row.kpp)
		if key in taken:
			continue
		taken.add(key)
		frappe.db.set_value("Client Company", row.name, "requisites_key", key, update_modified=False)
