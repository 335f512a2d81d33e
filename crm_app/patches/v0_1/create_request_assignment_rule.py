"""Sites that installed crm_app before web-form deals were assigned round robin get the rule."""

from crm_app.documents.assignment import ensure_assignment_rule


def execute():
	ensure_assignment_rule()
