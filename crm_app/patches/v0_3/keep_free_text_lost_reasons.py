"""Before the model sync: Deal's free-text Lost Reason becomes Lost Notes (the column is
renamed, keeping every text whole), so that the new Lost Reason, a link to Deal Lost
Reason, starts empty instead of cutting the old texts to a link's length."""

import frappe


def execute():
	columns = {c.lower() for c in frappe.db.get_table_columns("Deal")}
	if "lost_reason" not in columns or "lost_notes" in columns:
		return
	if frappe.db.get_column_type("Deal", "lost_reason").lower() not in ("text", "longtext", "mediumtext"):
		return  # already a link
	frappe.db.sql_ddl("ALTER TABLE `tabDeal` CHANGE COLUMN `lost_reason` `lost_notes` TEXT")
