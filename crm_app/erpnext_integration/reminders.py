"""Payment reminders for overdue invoices, once per period."""

import frappe
from frappe.utils import add_days, nowdate

from crm_app.erpnext_integration.settings import posting_enabled
from crm_app.settings import get_settings

MARK = "<!-- crm-payment-reminder -->"


def overdue_deals(days: int) -> list:
	invoice = frappe.qb.DocType("Sales Invoice")
	deal = frappe.qb.DocType("Deal")
	return (
		frappe.qb.from_(invoice)
		.join(deal)
		.on(deal.name == invoice.crm_deal)
		.select(deal.name, deal.contact_email, invoice.name.as_("invoice"))
		.where(invoice.docstatus == 1)
		.where(invoice.outstanding_amount > 0)
		.where(invoice.due_date <= add_days(nowdate(), -days))
		.where(deal.sales_invoice == invoice.name)
		.where(deal.stage == "Invoice Issued")
		.where(deal.contact_email_opt_in == 1)
		.where(deal.contact_email.isnotnull() & (deal.contact_email != ""))
		.run(as_dict=True)
	)


def send_payment_reminders() -> int:
	days = get_settings().get("payment_reminder_days") or 0
	if not days:
		return 0
	template = frappe.db.get_value(
		"Email Template", "Payment Reminder", ["subject", "response_html"], as_dict=True
	)
	if not template:
		return 0
	sent = 0
	for row in overdue_deals(days):
		if frappe.db.exists(
			"Email Queue",
			{
				"reference_doctype": "Deal",
				"reference_name": row.name,
				"creation": (">", add_days(nowdate(), -days)),
				"message": ("like", f"%{MARK}%"),
			},
		):
			continue
		doc = frappe.get_doc("Deal", row.name)
		try:
			frappe.sendmail(
				recipients=[row.contact_email],
				subject=frappe.render_template(template.subject, {"doc": doc}),
				message=frappe.render_template(template.response_html, {"doc": doc}) + MARK,
				reference_doctype="Deal",
				reference_name=row.name,
			)
			sent += 1
		except Exception:
			frappe.log_error(f"Payment reminder for {row.name} failed")
	return sent


def daily():
	"""Scheduler entry point (hooks: scheduler_events daily): payment reminders for
	overdue invoices, while posting to ERPNext is on."""
	if posting_enabled():
		send_payment_reminders()
