"""Letter templates (Email Template records) created once, then the site's to edit."""

import json
from pathlib import Path

import frappe

EMAIL_TEMPLATES = Path(__file__).with_name("email_templates.json")


def email_templates() -> list[dict]:
	return json.loads(EMAIL_TEMPLATES.read_text())


def ensure_email_templates():
	for template in email_templates():
		if frappe.db.exists("Email Template", template["name"]):
			continue
		frappe.get_doc(
			{
				"doctype": "Email Template",
				"name": template["name"],
				"__newname": template["name"],
				"subject": template["subject"],
				"use_html": 1,
				"response_html": template["response"],
			}
		).insert(ignore_permissions=True)


def remove_email_templates():
	for template in email_templates():
		frappe.delete_doc_if_exists("Email Template", template["name"])
