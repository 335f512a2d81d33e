"""Number card values that a plain DocType filter cannot express."""

import frappe
from frappe.query_builder.functions import Count, Sum
from frappe.utils import add_months, get_first_day, nowdate

from crm_app.permissions.deal import restricted_user_criterion
from crm_app.pipeline.stages import PAID_STAGES
from crm_app.utils.settings import default_currency


@frappe.whitelist()
def paid_this_month(filters=None) -> dict:
	"""{"value": sum of grand totals, "fieldtype": "Currency", "route": …}: the deals in the
	default currency that are paid now (at Invoice Paid or Goods Shipped) and entered
	Invoice Paid this calendar month (`Deal.paid_at`, a fact kept by the pipeline). A
	payment cancelled later takes the deal out: what counts is the deal's state, never a
	history row. A Sales User restricted to own deals sees only theirs."""
	frappe.has_permission("Deal", "read", throw=True)
	start = get_first_day(nowdate())
	deal = frappe.qb.DocType("Deal")
	query = (
		frappe.qb.from_(deal)
		.select(Sum(deal.grand_total), Count("*"))
		.where(deal.stage.isin(PAID_STAGES))
		.where(deal.paid_at >= start)
		.where(deal.paid_at < add_months(start, 1))
		.where(deal.currency == default_currency())
	)
	if (criterion := restricted_user_criterion(deal)) is not None:
		query = query.where(criterion)
	total, _count = query.run()[0]
	return {"value": total or 0, "fieldtype": "Currency", "route": ["List", "Deal"]}
