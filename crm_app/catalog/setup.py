"""The catalog's records created once: the common units of measure."""

import frappe

from crm_app.catalog.units import default_rows


def ensure_units():
	"""Give CRM App Settings › Units the common units (crm_app.catalog.units.DEFAULT_UNITS)
	while the table is empty: on install and, once, on sites installed before the table
	existed (patch v0_4.default_units). A table a user has filled is left alone."""
	if frappe.db.count("CRM Unit", {"parenttype": "CRM App Settings"}):
		return
	settings = frappe.get_single("CRM App Settings")
	for row in default_rows():
		settings.append("units", row)
	settings.flags.ignore_mandatory = True
	settings.save(ignore_permissions=True)
