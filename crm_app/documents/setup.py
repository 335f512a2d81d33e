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


def ensure_units():
	"""Give CRM App Settings › Units the common units (crm_app.utils.units.DEFAULT_UNITS)
	while the table is empty: on install and, once, on sites installed before the table
	existed (patch v0_4.default_units). A table a user has filled is left alone."""
	from crm_app.utils.units import default_rows

	if frappe.db.count("CRM Unit", {"parenttype": "CRM App Settings"}):
		return
	settings = frappe.get_single("CRM App Settings")
	for row in default_rows():
		settings.append("units", row)
	settings.flags.ignore_mandatory = True
	settings.save(ignore_permissions=True)
