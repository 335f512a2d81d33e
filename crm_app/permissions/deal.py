"""Who sees which deals.

While CRM App Settings' "Sales Users See Only Their Own Deals" is on, a user
whose sales role is Sales User (without Sales Manager or System Manager) sees
and changes only the deals where they are responsible or owner. The same rule
serves lists, reports, link searches, direct access and the REST API: Frappe
applies `get_permission_query_conditions` to every list query and
`has_permission` to every document access.
"""

import frappe

from crm_app.settings import own_deals_only

UNRESTRICTED_ROLES = {"Sales Manager", "System Manager"}


def is_restricted(user: str | None = None) -> bool:
	user = user or frappe.session.user
	if user == "Administrator" or not own_deals_only():
		return False
	roles = set(frappe.get_roles(user))
	return "Sales User" in roles and not roles & UNRESTRICTED_ROLES


def get_permission_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	if not is_restricted(user):
		return ""
	# "user IN (responsible, owner)", not "responsible = user OR owner = user": the
	# same rows, but MariaDB cannot turn it into an index merge of the two columns,
	# which at a million deals it prefers to the (stage, creation) index of a
	# list page (3 s instead of 25 ms).
	return f"({frappe.db.escape(user)} in (`tabDeal`.`responsible`, `tabDeal`.`owner`))"


def get_child_permission_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""The rule for a deal's child rows (Deal Item, Deal Stage Log) queried on their own
	(Frappe 15's `get_list(child, parent="Deal")`): rows of the deals the user may see."""
	condition = get_permission_query_conditions(user)
	if not condition or not doctype:
		return ""
	return f"(`tab{doctype}`.`parent` in (select `tabDeal`.`name` from `tabDeal` where {condition}))"


def restricted_user_criterion(deal_table, user: str | None = None):
	"""The same rule as a query-builder criterion on `deal_table`, or None."""
	user = user or frappe.session.user
	if not is_restricted(user):
		return None
	return (deal_table.responsible == user) | (deal_table.owner == user)


def has_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False) -> bool:
	"""Frappe's document check for a Deal: True for a user the rule does not restrict
	(Frappe 16 reads None as a refusal, Frappe 15 as no opinion: an explicit True means
	the same on both), else whether the user is the deal's responsible or owner.
	A hook can only narrow the role permissions, never widen them."""
	user = user or frappe.session.user
	if not is_restricted(user):
		return True
	return user in (doc.get("responsible"), doc.get("owner"))
