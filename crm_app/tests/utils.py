"""Factories for crm_app's bench tests."""

import random

from stdnum.ru import inn as stdnum_inn

import frappe


def random_inn(sole_proprietor: bool = False) -> str:
	"""A random INN with correct check digits (region 77)."""
	if sole_proprietor:
		base = "77" + "".join(random.choices("0123456789", k=8))
		return base + stdnum_inn.calc_personal_check_digits(base)
	base = "77" + "".join(random.choices("0123456789", k=7))
	return base + stdnum_inn.calc_company_check_digit(base)


def make_company(**kwargs) -> "frappe.model.document.Document":
	values = {
		"doctype": "Client Company",
		"company_name": kwargs.pop("company_name", None) or f"Test Client {frappe.generate_hash(length=6)}",
		"entity_type": "Legal Entity",
	}
	if "inn" not in kwargs:
		values["inn"] = random_inn(kwargs.get("entity_type") == "Sole Proprietor")
	values.update(kwargs)
	return frappe.get_doc(values).insert()


def make_contact(company: str | None = None, **kwargs):
	values = {"doctype": "Client Contact", "first_name": "Ivan", "last_name": "Petrov", "company": company}
	values.update(kwargs)
	return frappe.get_doc(values).insert()


def make_item(item_code: str | None = None, **kwargs):
	values = {
		"doctype": "Catalog Item",
		"item_code": item_code or f"TEST-ITEM-{frappe.generate_hash(length=8)}",
		"item_name": "Test item",
		"item_type": "Product",
		"standard_rate": 100,
	}
	values.update(kwargs)
	return frappe.get_doc(values).insert()


def make_deal(company: str | None = None, items: list[dict] | None = None, **kwargs):
	company = company or make_company().name
	values = {"doctype": "Deal", "client_company": company, "currency": "RUB"}
	values.update(kwargs)
	values["items"] = items if items is not None else [{"catalog_item": make_item().name, "qty": 1}]
	return frappe.get_doc(values).insert()


def make_user(email: str, roles: list[str]) -> str:
	if not frappe.db.exists("User", email):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": email.split("@")[0],
				"send_welcome_email": 0,
				"user_type": "System User",
			}
		)
		user.insert(ignore_permissions=True)
	user = frappe.get_doc("User", email)
	user.remove_roles(*[r.role for r in user.roles if r.role not in roles])
	user.add_roles(*roles)
	return email


def outsider_role() -> str:
	"""A desk role with no permission on the app's DocTypes, for a user who may log in but
	not touch deals or companies (Frappe's own spare roles differ between versions)."""
	name = "CRM Test Outsider"
	if not frappe.db.exists("Role", name):
		frappe.get_doc({"doctype": "Role", "role_name": name, "desk_access": 1}).insert(
			ignore_permissions=True
		)
	return name


def set_settings(**values):
	settings = frappe.get_single("CRM App Settings")
	settings.update(values)
	settings.save(ignore_permissions=True)
	frappe.clear_document_cache("CRM App Settings", "CRM App Settings")


def api_token(user: str) -> str:
	"""A fresh API key and secret for `user`, as an Authorization header value.
	The caller commits: requests run in another thread with its own connection."""
	doc = frappe.get_doc("User", user)
	secret = frappe.generate_hash(length=15)
	doc.api_key = doc.api_key or frappe.generate_hash(length=15)
	doc.api_secret = secret
	doc.save(ignore_permissions=True)
	return f"token {doc.api_key}:{secret}"


def rest(method: str, path: str, token: str, **kwargs):
	"""An HTTP request to this site through Frappe's WSGI app, in-process."""
	from frappe.tests.test_api import make_request
	from frappe.utils import get_test_client

	target = getattr(get_test_client(), method)
	headers = {"Authorization": token, "Host": frappe.local.site}
	return make_request(
		target=target, args=(path,), kwargs={"headers": headers, **kwargs}, site=frappe.local.site
	)


def fresh_settings(**values):
	"""CRM App Settings as a freshly installed site has them (nothing stored but what the
	install stores: every declared default), then only `values` — what the README asks a
	user to set. The tests of a feature's default path start here."""
	from crm_app.install import fill_settings_defaults

	frappe.db.delete("Singles", {"doctype": "CRM App Settings"})
	frappe.clear_document_cache("CRM App Settings", "CRM App Settings")
	fill_settings_defaults()
	if values:
		set_settings(**values)


def ensure_tax_account(company: str, account_name: str = "VAT") -> str:
	"""An account of type Tax under the company's Duties and Taxes, as a user makes one
	for the README's VAT Account setting (ERPNext's standard chart has none)."""
	existing = frappe.db.get_value(
		"Account", {"company": company, "account_type": "Tax", "is_group": 0}, "name"
	)
	if existing:
		return existing
	parent = frappe.db.get_value(
		"Account", {"company": company, "account_name": "Duties and Taxes", "is_group": 1}
	) or frappe.db.get_value("Account", {"company": company, "root_type": "Liability", "is_group": 1})
	return (
		frappe.get_doc(
			{
				"doctype": "Account",
				"account_name": account_name,
				"parent_account": parent,
				"company": company,
				"account_type": "Tax",
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def import_csv(doctype: str, csv: str, import_type: str = "Insert New Records", **options):
	"""Run Frappe's Data Import on `csv` as the session user, the way the desk does (the
	importer commits row by row). `options` are Data Import fields (e.g. mute_emails=0)."""
	from frappe.core.doctype.data_import.importer import Importer

	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": f"import-{frappe.generate_hash(length=6)}.csv",
			"content": csv,
			"is_private": 1,
		}
	).insert(ignore_permissions=True)
	data_import = frappe.get_doc(
		{
			"doctype": "Data Import",
			"reference_doctype": doctype,
			"import_type": import_type,
			"import_file": file.file_url,
			**options,
		}
	).insert()
	frappe.db.commit()
	Importer(doctype, data_import=data_import).import_data()
