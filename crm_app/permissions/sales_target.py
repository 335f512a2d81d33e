"""Who sees which sales targets: a Sales User restricted to their own deals (see
permissions.deal) sees only their own targets; everyone else with access sees all."""

import frappe

from crm_app.permissions.deal import is_restricted


def get_permission_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	if not is_restricted(user):
		return ""
	return f"(`tabSales Target`.`responsible` = {frappe.db.escape(user)})"


def has_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False) -> bool:
	"""Frappe's document check for a Sales Target: True for an unrestricted user (an
	explicit answer, as Frappe 16 reads None as a refusal), else whether the target is
	the user's own."""
	user = user or frappe.session.user
	if not is_restricted(user):
		return True
	return doc.get("responsible") == user
