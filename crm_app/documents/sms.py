"""SMS to the client's mobile at Invoice Issued and Goods Shipped, through Frappe's
SMS Settings (any HTTP gateway the administrator configures).

Queued after the transaction commits (a rolled-back stage change sends nothing) and
sent by a background job with a time limit (Frappe's SMS sender has no HTTP timeout,
so a hanging gateway only ties up that job). Consent is checked when queued and again
when sent; a failure goes to the Error Log and never touches the deal.
"""

from functools import partial

import frappe
from frappe import _

from crm_app.pipeline.events import stage_change
from crm_app.pipeline.stages import GOODS_SHIPPED, INVOICE_ISSUED

SMS_STAGES = (INVOICE_ISSUED, GOODS_SHIPPED)


def sms_text(deal) -> str:
	if deal.stage == INVOICE_ISSUED:
		return _("Invoice for {0}: {1} {2}. Thank you!").format(
			deal.title or deal.name, frappe.utils.fmt_money(deal.grand_total), deal.currency
		)
	return _("Your order {0} has been shipped.").format(deal.title or deal.name)


def wants_sms(deal) -> bool:
	return bool(
		deal.stage in SMS_STAGES
		and deal.get("contact_sms_opt_in")
		and deal.get("contact_mobile")
		and frappe.db.get_single_value("SMS Settings", "sms_gateway_url")
	)


def queue_stage_sms(deal, method=None):
	"""doc_event on Deal (on_update): after a stage change that is not a silent import,
	registered to run when the transaction commits (a rollback drops it); then queued
	as a background job (run at once in tests)."""
	change = stage_change(deal)
	if not change or change.silent or not wants_sms(deal):
		return
	frappe.db.after_commit.add(partial(enqueue_stage_sms, deal.name, deal.stage))


def enqueue_stage_sms(deal: str, stage: str):
	frappe.enqueue(
		"crm_app.documents.sms.send_stage_sms",
		queue="short",
		timeout=60,
		now=bool(frappe.flags.in_test),
		deal=deal,
		stage=stage,
	)


def send_stage_sms(deal: str, stage: str):
	doc = frappe.get_doc("Deal", deal)
	if doc.stage != stage or not wants_sms(doc):
		return
	try:
		send(doc, sms_text(doc))
	except Exception:
		frappe.log_error(
			_("SMS for deal {0} at {1} failed").format(deal, stage),
			reference_doctype="Deal",
			reference_name=deal,
		)


def send(doc, text: str):
	"""Through the gateway of SMS Settings, as Frappe's own sender does; the record of
	it goes to ERPNext's SMS Log where it exists (Frappe alone has no SMS Log, and its
	sender fails there after sending), else to a comment on the deal."""
	from frappe.core.doctype.sms_settings.sms_settings import (
		create_sms_log,
		get_headers,
		send_request,
		validate_receiver_nos,
	)

	settings = frappe.get_doc("SMS Settings")
	headers = get_headers(settings)
	params = {settings.message_parameter: text}
	params.update({p.parameter: p.value for p in settings.get("parameters") if not p.header})
	sent = []
	for number in validate_receiver_nos([doc.contact_mobile]):
		params[settings.receiver_parameter] = number
		status = send_request(
			settings.sms_gateway_url,
			params,
			headers,
			settings.use_post,
			headers.get("Content-Type") == "application/json",
		)
		if 200 <= status < 300:
			sent.append(number)
	if not sent:
		return
	if frappe.db.exists("DocType", "SMS Log"):
		create_sms_log({"receiver_list": sent, "message": text.encode("utf-8")}, sent)
	else:
		doc.add_comment("Info", _("SMS to {0}: {1}").format(", ".join(sent), text))
