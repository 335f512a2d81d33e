"""Issue Invoice (deal save + Sales Invoice insert + submit + links) against a bare
ERPNext Sales Invoice insert + submit of the same lines, on the same site and run.

Each operation runs inside a savepoint that is rolled back after it is timed, so
the site is left as it was. The two are interleaved so drift hits both alike.
"""

import frappe
from frappe.model.workflow import apply_workflow

from crm_app.benchmarks import Timer, median_ms


def _setup():
	from crm_app.erpnext_integration.tests.test_accounting import AccountingTestCase
	from crm_app.tests.utils import make_company, make_deal

	AccountingTestCase.setUpClass.__func__(AccountingTestCase)
	lines = [
		{"catalog_item": AccountingTestCase.product, "qty": 2},
		{"catalog_item": AccountingTestCase.service, "qty": 1},
		{"catalog_item": AccountingTestCase.service, "qty": 3, "discount_percent": 5},
	]
	deal = make_deal(make_company().name, items=lines, currency=AccountingTestCase.currency)
	deal.stage = "Negotiation"
	deal.save()
	# Steady state: the customer, items and tax templates exist after a company's first deal.
	from crm_app.erpnext_integration.deal_stage import ensure_item_tax_template
	from crm_app.erpnext_integration.masters import ensure_customer, ensure_item
	from crm_app.erpnext_integration.settings import get_accounting_settings

	ensure_customer(deal.client_company)
	acc = get_accounting_settings()
	for row in deal.items:
		ensure_item(row.catalog_item)
		ensure_item_tax_template(acc, row.vat_rate)
	return deal.name


def _bare_invoice(template: dict):
	invoice = frappe.get_doc(template)
	invoice.insert()
	invoice.submit()


def run(runs: int = 30, warmup: int = 5):
	frappe.set_user("Administrator")
	deal_name = _setup()

	# The bare invoice: exactly what Issue Invoice posts, as a plain document.
	frappe.db.savepoint("bench")
	deal = apply_workflow(frappe.get_doc("Deal", deal_name).as_dict(), "Issue Invoice")
	posted = frappe.get_doc("Sales Invoice", deal.sales_invoice).as_dict(no_default_fields=True)
	frappe.db.rollback(save_point="bench")
	template = {k: v for k, v in posted.items() if k not in ("crm_deal", "docstatus", "status")}
	template["doctype"] = "Sales Invoice"
	for table in ("items", "taxes", "payment_schedule"):
		template[table] = [
			{k: v for k, v in row.items() if k not in ("name", "parent", "docstatus")}
			for row in posted.get(table, [])
		]

	ours, bare = [], []
	for i in range(warmup + runs):
		sent = frappe.get_doc("Deal", deal_name).as_dict()  # what the form sends with the action
		frappe.db.savepoint("bench")
		with Timer() as t:
			apply_workflow(sent, "Issue Invoice")
		frappe.db.rollback(save_point="bench")
		if i >= warmup:
			ours.append(t.seconds)

		frappe.db.savepoint("bench")
		with Timer() as t:
			_bare_invoice(template)
		frappe.db.rollback(save_point="bench")
		if i >= warmup:
			bare.append(t.seconds)

	result = {
		"issue_invoice_ms": median_ms(ours),
		"bare_sales_invoice_ms": median_ms(bare),
		"ratio": round(median_ms(ours) / median_ms(bare), 3),
		"runs": runs,
	}
	frappe.db.rollback()
	print(frappe.as_json(result))
	return result
