"""What a new ERPNext site needs before the CRM posts its first deal, done by the app
(`bench --site <site> crm-app quickstart`): ERPNext's setup wizard completed for a Russian
company, a VAT account under Duties and Taxes, and the three ERPNext settings of CRM App
Settings (Post Deals to ERPNext, Company, VAT Account)."""

import frappe
from frappe import _
from frappe.utils import now_datetime

VAT_ACCOUNT_NAME = "НДС"


def complete_setup_wizard(company_name: str, abbr: str, language: str = "ru") -> bool:
	"""Complete Frappe's and ERPNext's setup wizard where it is not done (no Company yet):
	a Russian company in rubles, Moscow time, the calendar year as the fiscal year (art.
	285 of the Tax Code), the standard chart of accounts. Returns True when it ran."""
	if frappe.is_setup_complete() and frappe.db.a_row_exists("Company"):
		return False
	from frappe.desk.page.setup_wizard.setup_wizard import setup_complete

	year = now_datetime().year
	language_name = frappe.db.get_value("Language", language, "language_name") or "English"
	setup_complete(
		{
			"language": language_name,
			"lang": language,
			"country": "Russian Federation",
			"timezone": "Europe/Moscow",
			"currency": "RUB",
			"full_name": "Administrator",
			"email": "admin@example.com",
			"company_name": company_name,
			"company_abbr": abbr,
			"chart_of_accounts": "Standard",
			"fy_start_date": f"{year}-01-01",
			"fy_end_date": f"{year}-12-31",
			"setup_demo": 0,
		}
	)
	return True


def default_company() -> str:
	company = frappe.defaults.get_global_default("company") or frappe.db.get_value("Company", {}, "name")
	if not company:
		frappe.throw(_("ERPNext has no company: complete its setup wizard first."), title=_("Quick Start"))
	return company


def ensure_vat_account(company: str) -> str:
	"""The company's VAT account: an account of type Tax named "НДС" where the chart has one,
	else "НДС" created under Duties and Taxes (account type Tax, rate 22 %). ERPNext's
	country taxes name theirs after an old rate ("VAT 18%"): not taken."""
	found = frappe.get_all(
		"Account",
		filters={
			"company": company,
			"account_type": "Tax",
			"is_group": 0,
			"disabled": 0,
			"account_name": ("like", "%НДС%"),
		},
		pluck="name",
		limit=1,
	)
	if found:
		return found[0]
	parent = frappe.db.get_value(
		"Account",
		{"company": company, "is_group": 1, "account_name": ("in", ["Duties and Taxes", "Налоги и сборы"])},
	) or frappe.db.get_value("Account", {"company": company, "is_group": 1, "account_type": "Tax"})
	if not parent:
		frappe.throw(
			_("The chart of accounts of {0} has no Duties and Taxes group for the VAT account.").format(
				company
			),
			title=_("Quick Start"),
		)
	account = frappe.get_doc(
		{
			"doctype": "Account",
			"account_name": VAT_ACCOUNT_NAME,
			"parent_account": parent,
			"company": company,
			"account_type": "Tax",
			"tax_rate": 22,
		}
	)
	account.insert(ignore_permissions=True)
	return account.name


def prepare(company_name: str, abbr: str, language: str) -> list[str]:
	"""The ERPNext part of the quick start; returns what was done, for the command to say."""
	done = []
	if complete_setup_wizard(company_name, abbr, language):
		done.append(_("ERPNext's setup wizard completed for {0}").format(company_name))
	return done + post_deals_to(default_company())


def post_deals_to(company: str) -> list[str]:
	"""The three ERPNext settings of CRM App Settings (Post Deals to ERPNext, Company, VAT
	Account, made under Duties and Taxes where the chart has none); a VAT account already
	chosen stays. Returns what was done."""
	done = []
	vat_account = ensure_vat_account(company)
	settings = frappe.get_single("CRM App Settings")
	wanted = {
		"erpnext_enabled": 1,
		"erpnext_company": company,
		"vat_account": settings.vat_account or vat_account,
	}
	if any(settings.get(k) != v for k, v in wanted.items()):
		settings.update(wanted)
		settings.save(ignore_permissions=True)
		done.append(_("Deals post to ERPNext company {0}, VAT on {1}").format(company, wanted["vat_account"]))
	return done
