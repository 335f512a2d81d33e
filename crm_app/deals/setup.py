"""The standard VAT rates by date, created once in CRM App Settings › VAT Rates."""

import frappe

from crm_app.deals.vat import STANDARD_RATES


def ensure_vat_rates():
	"""Give CRM App Settings › VAT Rates the standard rates the app ships
	(crm_app.deals.vat.STANDARD_RATES: 20 % from 2019, 22 % from 2026) while the table is
	empty: on install and, once, on sites installed before it existed (patch
	v0_6.vat_rates_by_date). A table a user has filled is left alone."""
	if frappe.db.count("CRM VAT Rate", {"parenttype": "CRM App Settings"}):
		return
	settings = frappe.get_single("CRM App Settings")
	for valid_from, rate, basis in STANDARD_RATES:
		settings.append("vat_rates", {"valid_from": valid_from, "rate": rate, "basis": basis})
	settings.flags.ignore_mandatory = True
	settings.save(ignore_permissions=True)
