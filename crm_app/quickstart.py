"""The quick start of a site with the app: `bench --site <site> crm-app quickstart [--demo]`
(crm_app.commands) completes what a new site misses before its first deal — with ERPNext
its setup wizard, a VAT account and the three ERPNext settings
(crm_app.erpnext_integration.quickstart); the seller's requisites from one INN through the
state register when the register is configured — and loads the demo data on request. The
setup wizard's own slide of the app (public/js/setup_wizard.js, hooks `setup_wizard_requires`
and `setup_wizard_stages`) asks for the same on a new site: `setup_wizard_stages`."""

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
	elif not frappe.is_setup_complete():
		done.append(
			_("Frappe's setup wizard is not done yet: open the desk to choose the language and time zone")
		)
	if inn:
		done += fill_seller(inn)
	frappe.db.commit()
	if demo:
		from crm_app.demo import load, records

		if not records.loaded():
			done += load.load()
	return done


# the setup wizard slide's fields (public/js/setup_wizard.js) → CRM App Settings
SLIDE_SELLER = {
	"crm_seller_legal_name": "seller_legal_name",
	"crm_seller_inn": "seller_inn",
	"crm_seller_kpp": "seller_kpp",
	"crm_seller_director": "seller_director",
}


def setup_wizard_stages(args=None) -> list[dict]:
	"""Hook `setup_wizard_stages`: the app's stage of Frappe's setup wizard, after ERPNext's
	(apps run in install order), applying the app's slide."""
	return [
		{
			"status": _("Setting up the CRM"),
			"fail_msg": _("Failed to set up the CRM"),
			"tasks": [{"fn": apply_setup_wizard, "args": args, "fail_msg": _("Failed to set up the CRM")}],
		}
	]


def apply_setup_wizard(args) -> list[str]:
	"""The slide's answers: the seller's requisites into CRM App Settings (checked as the
	settings form checks them), with ERPNext and "Post Deals to ERPNext" the three ERPNext
	settings for the company the wizard has just made, and with "Load Demo Data" the demo year
	queued to load after the wizard's commit (it takes minutes; crm_app.demo.load). No commit
	here: Frappe commits after the last stage. Returns what was done."""
	args = frappe._dict(args or {})
	done = []
	values = {target: (args.get(source) or "").strip() for source, target in SLIDE_SELLER.items()}
	if any(values.values()):
		settings = frappe.get_single("CRM App Settings")
		for field, value in values.items():
			if value and not settings.get(field):
				settings.set(field, value)
		settings.save(ignore_permissions=True)
		done.append(_("Seller's requisites saved"))
	if "erpnext" in frappe.get_installed_apps() and frappe.utils.cint(args.get("crm_post_to_erpnext")):
		from crm_app.erpnext_integration.quickstart import default_company, post_deals_to

		company = args.get("company_name") if frappe.db.exists("Company", args.get("company_name")) else None
		done += post_deals_to(company or default_company())
	if frappe.utils.cint(args.get("crm_load_demo")):
		frappe.enqueue(
			"crm_app.demo.load.load_after_setup",
			queue="long",
			timeout=3600,
			enqueue_after_commit=True,
			job_id=f"crm_app_demo::{frappe.local.site}",
			deduplicate=True,
		)
		done.append(_("Demo data queued"))
	return done
