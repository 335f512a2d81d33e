# Copyright (c) 2026, crm_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from crm_app.analytics import probability
from crm_app.analytics.reports import PERFORMANCE_INDEX
from crm_app.deals.lines import (
	catalog_defaults,
	check_lines,
	note_repricing,
	prepare_lines,
	reprice_at_invoice,
	set_totals,
)
from crm_app.pipeline import rules as stage_rules
from crm_app.pipeline import save_path
from crm_app.pipeline.events import all_or_nothing
from crm_app.pipeline.facts import STAGE_SECONDS_FIELDS
from crm_app.settings import default_currency, get_settings


class Deal(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from crm_app.crm_app.doctype.deal_item.deal_item import DealItem
		from crm_app.crm_app.doctype.deal_stage_log.deal_stage_log import DealStageLog

		client_company: DF.Link
		contact: DF.Link | None
		contact_email: DF.Data | None
		contact_email_opt_in: DF.Check
		contact_mobile: DF.Data | None
		contact_sms_opt_in: DF.Check
		currency: DF.Link
		expected_amount: DF.Currency
		expected_close_date: DF.Date | None
		funnel_key: DF.Int
		grand_total: DF.Currency
		items: DF.Table[DealItem]
		left_stages: DF.Data | None
		lost_from_stage: DF.Data | None
		lost_at: DF.Datetime | None
		lost_notes: DF.SmallText | None
		lost_reason: DF.Link | None
		naming_series: DF.Literal["DEAL-.YYYY.-.#####"]
		net_total: DF.Currency
		next_contact_date: DF.Date | None
		notes: DF.Text | None
		paid_amount: DF.Currency
		paid_at: DF.Datetime | None
		prices_include_vat: DF.Check
		probability: DF.Percent
		reached_stages: DF.Data | None
		responsible: DF.Link | None
		seconds_in_goods_shipped: DF.Int
		seconds_in_invoice_issued: DF.Int
		seconds_in_invoice_paid: DF.Int
		seconds_in_lost: DF.Int
		seconds_in_negotiation: DF.Int
		seconds_in_request_received: DF.Int
		sender_name: DF.Data | None
		source: DF.Literal["", "Web Form", "Email", "Phone", "Referral", "Other"]
		stage: DF.Literal[
			"Request Received", "Negotiation", "Invoice Issued", "Invoice Paid", "Goods Shipped", "Lost"
		]
		stage_entered_at: DF.Datetime | None
		stage_history: DF.Table[DealStageLog]
		title: DF.Data | None
		vat_total: DF.Currency
	# end: auto-generated types

	def insert(self, *args, **kwargs):
		"""Frappe's insert, all or nothing (`pipeline.events.all_or_nothing`)."""
		with all_or_nothing():
			return super().insert(*args, **kwargs)

	def save(self, *args, **kwargs):
		"""Frappe's save, all or nothing: a stage change and everything it posts are written
		together or not at all, whoever catches a failure (`pipeline.events.all_or_nothing`)."""
		with all_or_nothing():
			return super().save(*args, **kwargs)

	def _set_defaults(self):
		# Remember which settings-driven fields the caller left out before Frappe
		# fills them with the DocType's static defaults (0 for a Check).
		if self.is_new():
			self.flags.fields_from_settings = [f for f in SETTINGS_DEFAULTS if self.get(f) is None]
		super()._set_defaults()

	def before_insert(self):
		defaults = new_deal_defaults()
		for fieldname in self.flags.fields_from_settings or ():
			self.set(fieldname, defaults[fieldname])

	def onload(self):
		from crm_app.clients.registry.lookup import company_status_alert

		self.set_onload("company_status_alert", company_status_alert(self.client_company))

	def before_validate(self):
		self.currency = self.currency or default_currency()
		if not self.currency:
			frappe.throw(
				_(
					"The deal has no currency and the site has no default one: set the Default Currency "
					"in CRM App Settings (or the system's default currency in System Settings)."
				),
				title=_("Currency Required"),
			)
		if self.flags.stage_fact:
			return  # a voucher posted elsewhere changes nothing else of the deal
		if self.responsible == "Guest" or (self.is_new() and self.flags.from_mailbox):
			# a request from the website or the mailbox: the assignment rule decides (the
			# field's default would be the guest, or the user pulling the mail)
			self.responsible = None
		elif not self.responsible and frappe.session.user != "Guest":
			self.responsible = frappe.session.user
		if not self.title and self.client_company:
			self.title = frappe.db.get_value("Client Company", self.client_company, "company_name")

	def validate(self):
		self.validate_contact()
		before = self.get_doc_before_save()
		prepare_lines(self, {row.name: row.catalog_item for row in before.items} if before else {})
		if before and stage_rules.issues_invoice(self, before):
			reprice_at_invoice(self)
		check_lines(self)
		set_totals(self)
		stage_rules.before_save(self)
		probability.apply_to_deal(self)

	def on_update(self):
		note_repricing(self)

	def validate_workflow(self):
		"""Frappe's workflow check (may this user take this transition?), except for a fact
		recorded elsewhere or a Sales Manager's historical import (see pipeline.rules)."""
		if not stage_rules.skips_workflow_check(self):
			super().validate_workflow()

	def run_method(self, method, *args, **kwargs):
		"""Frappe's, without its Workflow Action hook while the pipeline can make none
		(see pipeline.save_path)."""
		if method == "on_update" and not save_path.creates_workflow_actions():
			return save_path.run_without_workflow_actions(self, method, *args, **kwargs)
		return super().run_method(method, *args, **kwargs)

	def run_notifications(self, method):
		"""Frappe's, with the Notification records from the document cache (pipeline.save_path)."""
		if not save_path.run_notifications_on_change(self, method):
			super().run_notifications(method)

	def validate_contact(self):
		if not self.contact:
			return
		company = frappe.db.get_value("Client Contact", self.contact, "company")
		if company != self.client_company:
			frappe.throw(
				_("Contact {0} does not belong to Client Company {1}.").format(
					frappe.bold(self.contact), frappe.bold(self.client_company)
				),
				title=_("Wrong Contact"),
			)


@frappe.whitelist()
def get_line_defaults(catalog_item: str) -> dict:
	"""Values the form puts on a line when its catalog item is chosen."""
	frappe.has_permission("Catalog Item", "read", catalog_item, throw=True)
	defaults = catalog_defaults(catalog_item)
	defaults.pop("disabled")
	return defaults


SETTINGS_DEFAULTS = ("currency", "prices_include_vat")


def new_deal_defaults() -> dict:
	return {
		"currency": default_currency(),
		"prices_include_vat": get_settings().prices_include_vat,
	}


@frappe.whitelist()
def get_new_deal_defaults() -> dict:
	"""Defaults from CRM App Settings for a deal opened in the form."""
	frappe.has_permission("Deal", "create", throw=True)
	return new_deal_defaults()


def on_doctype_update():
	"""Indexes: deals by currency and creation date; the list and the board (deals
	at a stage, newest first); the Sales Funnel's covering index, in the order of
	its GROUP BY, so that the report reads the index alone, without a temporary
	table; the board's own-deals totals; the analytics' dates."""
	frappe.db.add_index("Deal", ["currency", "creation"])
	frappe.db.add_index("Deal", ["stage", "creation"])
	# the board page: a column's cards, next contact first, then newest (pipeline.board)
	frappe.db.add_index("Deal", ["stage", "next_contact_date", "creation"], "board_index")
	frappe.db.add_index("Deal", FUNNEL_INDEX_COLUMNS, FUNNEL_INDEX)
	# the board's column totals for a Sales User who sees only their own deals
	frappe.db.add_index(
		"Deal", ["responsible", "stage", "currency", "grand_total"], "responsible_board_index"
	)
	frappe.db.add_index(
		"Deal", ["owner", "stage", "currency", "grand_total", "responsible"], "owner_board_index"
	)
	# the sales analytics, each query read from an index alone (analytics.reports)
	for name, columns in ANALYTICS_INDEXES.items():
		frappe.db.add_index("Deal", columns, name)


ANALYTICS_INDEXES = {
	# Sales Forecast: open deals by close month
	"forecast_index": ["currency", "expected_close_date", "stage", "grand_total", "expected_amount"],
	# paid by month
	"paid_index": ["currency", "paid_at", "stage", "grand_total"],
	# lost by reason and by the stage lost from
	"lost_index": ["currency", "lost_at", "stage", "lost_reason", "lost_from_stage", "grand_total"],
	# Sales Performance: every figure per responsible in one pass, in responsible order
	PERFORMANCE_INDEX: ["responsible", "currency", "stage", "creation", "paid_at", "lost_at", "grand_total"],
}
FUNNEL_INDEX = "funnel_index"
FUNNEL_INDEX_COLUMNS = [
	"currency",
	"stage",
	"funnel_key",
	"creation",
	"grand_total",
	*STAGE_SECONDS_FIELDS.values(),
]
