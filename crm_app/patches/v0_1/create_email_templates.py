"""Sites that installed crm_app before the letter templates existed get them on migrate."""

from crm_app.documents.setup import ensure_email_templates


def execute():
	ensure_email_templates()
