"""The request round robin takes only requests nobody owns: a deal a sales user types with
source Web Form or Email stays theirs (it was handed to the next user in turn, and when that
user could not see it Frappe asked the typist for a share permission they lack)."""

from crm_app.documents.assignment import update_default_condition


def execute():
	update_default_condition()
