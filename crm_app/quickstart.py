"""The quick start of a site with the app: `bench --site <site> crm-app quickstart [--demo]`
(crm_app.commands) completes what a new site misses before its first deal — with ERPNext
its setup wizard, a VAT account and the three ERPNext settings
(crm_app.erpnext_integration.quickstart); the seller's requisites from one INN through the
state register when the register is configured — and loads the demo data on request."""

import frappe
from frappe import _

SELLER_FROM_REGISTER = {
	"company_name": "seller_legal_name",
	"kpp": "seller_kpp",
	"ogrn": "seller_ogrn",
	"address": "seller_address",
	"director": "seller_director",
}


def fill_seller(inn: str) -> list[str]:
	"""The seller's INN and, where the register knows it, name, KPP, OGRN, address and
	director (CRM App Settings › Fill Companies from the Register); empty fields only."""
	from crm_app.clients.registry.lookup import registry_enabled, registry_values

	settings = frappe.get_single("CRM App Settings")
	settings.seller_inn = settings.seller_inn or inn
	found = registry_values(inn, {}) if registry_enabled() else {}
	for source, target in SELLER_FROM_REGISTER.items():
		if found.get(source) and not settings.get(target):
			settings.set(target, found[source])
	settings.save(ignore_permissions=True)
	if not found:
		return [_("Seller's INN {0} set (the register is off or does not know it)").format(inn)]
	return [_("Seller's requisites filled from the register by INN {0}").format(inn)]


def run(
	company_name: str = "ООО «Демо»",
	abbr: str = "ДЕМО",
	inn: str | None = None,
	language: str = "ru",
	demo: bool = False,
) -> list[str]:
	"""Everything the quick start does (idempotent: run again, it changes nothing done);
	returns what was done, one line each. `demo` loads the demo year too
	(crm_app.demo.load) unless it is already there."""
	done = []
	if "erpnext" in frappe.get_installed_apps():
		from crm_app.erpnext_integration.quickstart import prepare

		done += prepare(company_name, abbr, language)
	if inn:
		done += fill_seller(inn)
	frappe.db.commit()
	if demo:
		from crm_app.demo import load, records

		if not records.loaded():
			done += load.load()
	return done
