"""Deals from the website and the mailbox go to the sales team in turn: a standard Assignment Rule
(round robin, editable in the desk) assigns them, and the assignee becomes the deal's
responsible."""

import frappe

RULE = "Deal Requests Round Robin"
# requests from the website or the mailbox that nobody owns yet: a deal a user types has
# them as its responsible (Deal.before_validate), whatever source they pick
CONDITION = 'source in ("Web Form", "Email") and not responsible'
EARLIER_CONDITIONS = ('source == "Web Form"', 'source in ("Web Form", "Email")')


def sales_users() -> list[str]:
	users = frappe.get_all(
		"Has Role", filters={"role": "Sales User", "parenttype": "User"}, pluck="parent", distinct=True
	)
	return [
		u for u in users if u not in ("Administrator", "Guest") and frappe.db.get_value("User", u, "enabled")
	]


def ensure_assignment_rule():
	"""Created once; the site edits the users and the condition afterwards. Disabled
	while there is nobody to assign to."""
	if frappe.db.exists("Assignment Rule", RULE):
		return
	users = sales_users()
	frappe.get_doc(
		{
			"doctype": "Assignment Rule",
			"name": RULE,
			"__newname": RULE,
			"document_type": "Deal",
			"description": "New request: {{ title }}",
			"assign_condition": CONDITION,
			"rule": "Round Robin",
			"priority": 1,
			"disabled": 0 if users else 1,
			"users": [{"user": u} for u in users],
			"assignment_days": [
				{"day": day}
				for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
			],
		}
	).insert(ignore_permissions=True)


def update_default_condition():
	"""Sites whose rule still has an earlier shipped condition take the current one;
	a condition the site changed is left alone."""
	condition = frappe.db.get_value("Assignment Rule", RULE, "assign_condition")
	if condition in EARLIER_CONDITIONS:
		rule = frappe.get_doc("Assignment Rule", RULE)
		rule.assign_condition = CONDITION
		rule.save(ignore_permissions=True)


def remove_assignment_rule():
	frappe.delete_doc_if_exists("Assignment Rule", RULE)


def assignee_becomes_responsible(doc, method=None):
	"""doc_event on ToDo: a deal without a responsible takes the user it was assigned to."""
	if doc.reference_type != "Deal" or not doc.allocated_to or doc.status != "Open":
		return
	if not frappe.db.get_value("Deal", doc.reference_name, "responsible"):
		frappe.db.set_value(
			"Deal", doc.reference_name, "responsible", doc.allocated_to, update_modified=False
		)
