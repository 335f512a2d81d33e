"""Access to CRM App Settings with the defaults the app falls back on."""

import frappe

SETTINGS = "CRM App Settings"


def get_settings():
	return frappe.get_cached_doc(SETTINGS)


def default_currency() -> str | None:
	return get_settings().default_currency or frappe.db.get_default("currency")


def default_vat_rate() -> float:
	"""CRM App Settings › Default VAT Rate: the standard rate where VAT Rates has none in
	force on a document's date (22 on a new site)."""
	return get_settings().default_vat_rate or 0


def seller_pays_vat() -> bool:
	"""False for a seller who is not a VAT payer (CRM App Settings › Tax Regime): their
	deal lines carry no VAT."""
	return tax_regime() != "Not a VAT Payer"


def tax_regime() -> str:
	"""CRM App Settings › Tax Regime (crm_app.deals.vat.REGIMES); "General" when unset,
	"Not a VAT Payer" where only the VAT Payer flag of earlier versions is off."""
	settings = get_settings()
	if not settings.get("seller_tax_regime"):
		return "General" if settings.get("seller_vat_payer", 1) else "Not a VAT Payer"
	return settings.seller_tax_regime


def vat_rate_table() -> list[tuple]:
	"""CRM App Settings › VAT Rates as (valid from, rate %) pairs; empty when none."""
	return [(row.valid_from, row.rate) for row in get_settings().get("vat_rates") or []]


def default_uom() -> str:
	return get_settings().default_uom or "Nos"


def phone_region() -> str:
	return get_settings().default_phone_region or "RU"


def own_deals_only() -> bool:
	return bool(get_settings().own_deals_only)
