"""CRM App Settings' ERPNext part, with every empty setting taken from the
company's own defaults, so choosing the company is enough to start."""

from dataclasses import dataclass

import frappe
from frappe import _

from crm_app.erpnext_integration import erpnext_installed


@dataclass
class AccountingSettings:
	company: str
	company_currency: str
	customer_group: str
	territory: str
	item_group: str
	income_account: str | None
	cost_center: str | None
	vat_account: str | None
	warehouse: str | None
	mode_of_payment: str | None
	payment_due_days: int
	submit_invoices: bool


def posting_enabled() -> bool:
	if not erpnext_installed():
		return False
	settings = frappe.get_cached_doc("CRM App Settings")
	return bool(settings.get("erpnext_enabled") and settings.get("erpnext_company"))


def first_record(doctype: str, filters: dict) -> str | None:
	"""The first record of `doctype` matching `filters`: in tree order for a tree
	(Customer Group, Territory, Item Group, Warehouse …), else the oldest."""
	order_by = "lft asc" if frappe.get_meta(doctype).is_nested_set() else "creation asc"
	found = frappe.get_all(doctype, filters=filters, pluck="name", order_by=order_by, limit=1)
	return found[0] if found else None


def get_accounting_settings() -> AccountingSettings:
	settings = frappe.get_cached_doc("CRM App Settings")
	company = settings.get("erpnext_company")
	if not company:
		frappe.throw(_("Choose the ERPNext company in CRM App Settings."), title=_("ERPNext Not Set Up"))
	defaults = frappe.get_cached_value(
		"Company",
		company,
		["default_currency", "default_income_account", "cost_center", "default_warehouse_for_sales_return"],
		as_dict=True,
	)
	warehouse = (
		settings.get("warehouse")
		or frappe.db.get_single_value("Stock Settings", "default_warehouse")
		or first_record("Warehouse", {"company": company, "is_group": 0})
	)
	if warehouse and frappe.db.get_value("Warehouse", warehouse, "company") != company:
		warehouse = first_record("Warehouse", {"company": company, "is_group": 0})
	return AccountingSettings(
		company=company,
		company_currency=defaults.default_currency,
		customer_group=settings.get("customer_group")
		or frappe.db.get_single_value("Selling Settings", "customer_group")
		or first_record("Customer Group", {"is_group": 0})
		or first_record("Customer Group", {}),
		territory=settings.get("territory")
		or frappe.db.get_single_value("Selling Settings", "territory")
		or first_record("Territory", {"is_group": 0})
		or first_record("Territory", {}),
		item_group=settings.get("item_group")
		or frappe.db.get_single_value("Stock Settings", "item_group")
		or first_record("Item Group", {"is_group": 0})
		or first_record("Item Group", {}),
		income_account=settings.get("income_account") or defaults.default_income_account,
		cost_center=settings.get("cost_center") or defaults.cost_center,
		vat_account=settings.get("vat_account"),
		warehouse=warehouse,
		mode_of_payment=settings.get("mode_of_payment")
		or first_record("Mode of Payment", {"type": "Cash", "enabled": 1}),
		payment_due_days=int(settings.get("payment_due_days") or 0),
		submit_invoices=bool(settings.get("submit_invoices")),
	)


def validate_settings(doc, method=None):
	"""doc_event on CRM App Settings: the accounts must belong to the company."""
	if not erpnext_installed() or not doc.get("erpnext_enabled"):
		return
	if not doc.get("erpnext_company"):
		frappe.throw(_("Choose the ERPNext company to post deals to."), title=_("ERPNext Not Set Up"))
	for fieldname, doctype in (
		("income_account", "Account"),
		("vat_account", "Account"),
		("cost_center", "Cost Center"),
		("warehouse", "Warehouse"),
	):
		value = doc.get(fieldname)
		if value and frappe.db.get_value(doctype, value, "company") != doc.erpnext_company:
			frappe.throw(
				_("{0} {1} does not belong to company {2}.").format(_(doctype), value, doc.erpnext_company),
				title=_("Wrong Company"),
			)
