"""Number card values that a plain DocType filter cannot express."""

import frappe
from frappe.query_builder.functions import Count, Sum
from frappe.utils import add_months, get_first_day, nowdate

from crm_app.permissions.deal import restricted_user_criterion
from crm_app.utils.pipeline import LOST
from crm_app.utils.settings import default_currency

INVOICE_PAID = "Invoice Paid"


@frappe.whitelist()
def paid_this_month(filters=None) -> dict:
	"""Sum of the grand totals of deals (in the default currency) that reached
	Invoice Paid this calendar month."""
	frappe.has_permission("Deal", "read", throw=True)
	start = get_first_day(nowdate())
	deal = frappe.qb.DocType("Deal")
	log = frappe.qb.DocType("Deal Stage Log")
	paid = (
		frappe.qb.from_(log)
		.select(log.parent)
		.distinct()
		.where(log.parenttype == "Deal")
		.where(log.stage == INVOICE_PAID)
		.where(log.changed_at >= start)
		.where(log.changed_at < add_months(start, 1))
	)
	query = (
		frappe.qb.from_(deal)
		.select(Sum(deal.grand_total), Count("*"))
		.where(deal.name.isin(paid))
		.where(deal.currency == default_currency())
		.where(deal.stage != LOST)
	)
	if (criterion := restricted_user_criterion(deal)) is not None:
		query = query.where(criterion)
	total, _count = query.run()[0]
	return {"value": total or 0, "fieldtype": "Currency", "route": ["List", "Deal"]}
