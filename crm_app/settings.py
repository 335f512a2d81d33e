"""Access to CRM App Settings with the defaults the app falls back on."""

import frappe

SETTINGS = "CRM App Settings"


def get_settings():
	return frappe.get_cached_doc(SETTINGS)


def default_currency() -> str | None:
	return get_settings().default_currency or frappe.db.get_default("currency")


def default_vat_rate() -> float:
	return get_settings().default_vat_rate or 0


def seller_pays_vat() -> bool:
	"""CRM App Settings' VAT Payer (on by default): off, new deal lines carry no VAT."""
	return bool(get_settings().get("seller_vat_payer", 1))


def default_uom() -> str:
	return get_settings().default_uom or "Nos"


def phone_region() -> str:
	return get_settings().default_phone_region or "RU"


def own_deals_only() -> bool:
	return bool(get_settings().own_deals_only)
