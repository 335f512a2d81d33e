"""What the last stages of a deal post to ERPNext.

Called from the Deal's save after Frappe's workflow check has passed (the user
may take the transition), in the same transaction: if ERPNext refuses anything,
the exception undoes the stage change and every document made on the way.
ERPNext documents are created with ignore_permissions, because the right being
exercised is the deal transition, which was checked.
"""

import frappe
from frappe import _
from frappe.utils import add_days, flt, nowdate

from crm_app.erpnext_integration.ledger import invoice_settlement
from crm_app.erpnext_integration.masters import ensure_contact, ensure_customer, ensure_item
from crm_app.erpnext_integration.settings import AccountingSettings, get_accounting_settings, posting_enabled
from crm_app.pipeline.events import stage_change
from crm_app.pipeline.stages import CREDITED, GOODS_SHIPPED, INVOICE_ISSUED, INVOICE_PAID, NEGOTIATION, PAID


def validate_stage_change(deal, method=None):
	"""doc_event on Deal (validate): a user's move that ERPNext would refuse is refused
	before anything is saved."""
	change = stage_change(deal)
	if change and change.by_user and posting_enabled():
		before_stage_change(deal, change.from_stage, change.to_stage)


def post_stage_change(deal, method=None):
	"""doc_event on Deal (on_update): what a user's move posts to ERPNext, in the same
	transaction as the move. Moves the ledger itself made post nothing back."""
	change = stage_change(deal)
	if change and change.by_user and posting_enabled():
		on_stage_change(deal, change.from_stage, change.to_stage)


def before_stage_change(deal, old: str, new: str):
	"""Refusals that must come before anything is saved."""
	if old == INVOICE_ISSUED and new == NEGOTIATION:
		invoice = live_invoice(deal.name)
		if invoice:
			docstatus = frappe.db.get_value("Sales Invoice", invoice, "docstatus")
			ptype = "cancel" if docstatus == 1 else "delete"
			if not frappe.has_permission("Sales Invoice", ptype, invoice):
				frappe.throw(
					_(
						"Going back to Negotiation cancels Sales Invoice {0}, and you may not cancel Sales Invoices."
					).format(frappe.bold(invoice)),
					frappe.PermissionError,
					title=_("Not Permitted"),
				)


def on_stage_change(deal, old: str, new: str):
	if new == INVOICE_ISSUED:
		issue_invoice(deal)
	elif new == INVOICE_PAID:
		confirm_payment(deal)
	elif new == GOODS_SHIPPED:
		ship_goods(deal)
	elif new == NEGOTIATION and old == INVOICE_ISSUED:
		withdraw_invoice(deal)


def live_invoice(deal_name: str, for_update: bool = False) -> str | None:
	"""The deal's one invoice that is neither cancelled nor fully credited (draft or
	submitted), if any."""
	invoice = frappe.qb.DocType("Sales Invoice")
	query = (
		frappe.qb.from_(invoice)
		.select(invoice.name, invoice.docstatus)
		.where(invoice.crm_deal == deal_name)
		.where(invoice.docstatus < 2)
		.where(invoice.is_return == 0)
		.orderby(invoice.creation, order=frappe.qb.desc)
	)
	candidates = (query.for_update() if for_update else query).run(as_dict=True)
	for invoice in candidates:
		if invoice.docstatus == 0 or invoice_settlement(invoice.name).status != CREDITED:
			return invoice.name
	return None


# --- Issue Invoice ---------------------------------------------------------------------------


def issue_invoice(deal) -> str:
	"""Create (and submit) the deal's Sales Invoice; reuse the live one if any,
	so a replayed transition or a retried job never makes a second invoice."""
	existing = live_invoice(deal.name, for_update=True)
	if existing:
		deal.db_set("sales_invoice", existing, update_modified=False)
		return existing
	acc = get_accounting_settings()
	invoice = build_invoice(deal, acc)
	invoice.flags.ignore_permissions = True
	if acc.submit_invoices:
		invoice.submit()  # inserted as submitted: one validation pass instead of two
	else:
		invoice.insert()
	deal.db_set("sales_invoice", invoice.name, update_modified=False)
	return invoice.name


def exchange_rate(currency: str, acc: AccountingSettings) -> float:
	if currency == acc.company_currency:
		return 1.0
	from erpnext.setup.utils import get_exchange_rate

	rate = flt(get_exchange_rate(currency, acc.company_currency, nowdate()))
	if rate <= 0:
		frappe.throw(
			_(
				"There is no exchange rate from {0} to {1} for today. Add a Currency Exchange record first."
			).format(currency, acc.company_currency),
			title=_("Missing Exchange Rate"),
		)
	return rate


def build_invoice(deal, acc: AccountingSettings):
	customer = ensure_customer(deal.client_company)
	contact = ensure_contact(deal.contact, customer) if deal.contact else None
	invoice = frappe.new_doc("Sales Invoice")
	invoice.update(
		{
			"company": acc.company,
			"customer": customer,
			"contact_person": contact,
			"currency": deal.currency,
			"conversion_rate": exchange_rate(deal.currency, acc),
			"posting_date": nowdate(),
			"set_posting_time": 1,
			"due_date": add_days(nowdate(), acc.payment_due_days),
			"disable_rounded_total": 1,
			"ignore_pricing_rule": 1,
			"crm_deal": deal.name,
			"remarks": _("Deal {0}: {1}").format(deal.name, deal.title or ""),
		}
	)
	price_list = frappe.db.get_value(
		"Price List", {"selling": 1, "currency": deal.currency, "enabled": 1}, "name"
	)
	if price_list:
		invoice.selling_price_list = price_list
	vat_lines = [row for row in deal.items if not row.vat_exempt and row.vat_rate]
	if vat_lines and not acc.vat_account:
		frappe.throw(
			_("Deal {0} has lines with VAT: set the VAT Account in CRM App Settings.").format(deal.name),
			title=_("VAT Account Missing"),
		)
	for row in deal.items:
		line = {
			"item_code": ensure_item(row.catalog_item),
			"item_name": row.item_name,
			"description": row.description or row.item_name,
			"qty": row.qty,
			"price_list_rate": row.rate,
			"discount_percentage": row.discount_percent,
			"rate": flt(row.rate) * (100 - flt(row.discount_percent)) / 100,
			"income_account": acc.income_account,
			"cost_center": acc.cost_center,
			"warehouse": acc.warehouse,
		}
		if acc.vat_account:
			line["item_tax_template"] = ensure_item_tax_template(
				acc, 0 if row.vat_exempt else flt(row.vat_rate)
			)
		invoice.append("items", line)
	if vat_lines:
		# One VAT row on the VAT account; each line carries its own rate through an Item
		# Tax Template, ERPNext's own way of mixing VAT rates in one invoice.
		rates = sorted({flt(row.vat_rate) for row in vat_lines})
		invoice.append(
			"taxes",
			{
				"charge_type": "On Net Total",
				"account_head": acc.vat_account,
				"rate": rates[-1],
				"description": _("VAT") + " " + ", ".join(f"{r:g}%" for r in rates),
				"included_in_print_rate": int(bool(deal.prices_include_vat)),
				"cost_center": acc.cost_center,
			},
		)
	if deal.currency != acc.company_currency:
		invoice.debit_to = ensure_receivable_account(customer, deal.currency, acc)
	return invoice


def ensure_item_tax_template(acc: AccountingSettings, rate: float) -> str:
	"""An Item Tax Template "CRM VAT <rate>%" of the company, on the VAT account."""
	abbr = frappe.get_cached_value("Company", acc.company, "abbr")
	title = f"CRM VAT {rate:g}%"
	name = f"{title} - {abbr}"
	if not frappe.db.exists("Item Tax Template", name):
		frappe.get_doc(
			{
				"doctype": "Item Tax Template",
				"title": title,
				"company": acc.company,
				"taxes": [{"tax_type": acc.vat_account, "tax_rate": rate}],
			}
		).insert(ignore_permissions=True)
	return name


def ensure_receivable_account(customer: str, currency: str, acc: AccountingSettings) -> str:
	"""ERPNext keeps a customer's receivable in one currency: a deal in another
	currency than the company's needs a receivable account in that currency. The
	customer gets one (created once per currency) unless it already has its own;
	a customer already invoiced in another currency is refused by ERPNext."""
	own = frappe.db.get_value(
		"Party Account", {"parenttype": "Customer", "parent": customer, "company": acc.company}, "account"
	)
	if own:
		return own
	account = frappe.db.get_value(
		"Account",
		{"company": acc.company, "account_type": "Receivable", "account_currency": currency, "is_group": 0},
		"name",
	)
	if not account:
		default = frappe.get_cached_value("Company", acc.company, "default_receivable_account")
		account = (
			frappe.get_doc(
				{
					"doctype": "Account",
					"account_name": _("Debtors {0}").format(currency),
					"parent_account": frappe.db.get_value("Account", default, "parent_account"),
					"company": acc.company,
					"account_type": "Receivable",
					"account_currency": currency,
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
	customer_doc = frappe.get_doc("Customer", customer)
	customer_doc.default_currency = customer_doc.default_currency or currency
	customer_doc.append("accounts", {"company": acc.company, "account": account})
	customer_doc.flags.ignore_permissions = True
	customer_doc.save()
	return account


# --- Confirm Payment --------------------------------------------------------------------------


def submitted_invoice(deal) -> str:
	invoice = live_invoice(deal.name)
	if not invoice:
		frappe.throw(_("Deal {0} has no Sales Invoice.").format(deal.name), title=_("No Invoice"))
	if frappe.db.get_value("Sales Invoice", invoice, "docstatus") != 1:
		frappe.throw(
			_("Sales Invoice {0} is still a draft: submit it first.").format(frappe.bold(invoice)),
			title=_("Invoice Not Submitted"),
		)
	return invoice


def confirm_payment(deal):
	"""Pay what the client still owes (the invoice less its credit notes and earlier
	payments) with the settings' mode of payment; an invoice already paid in ERPNext only
	moves the stage."""
	invoice = submitted_invoice(deal)
	settled = invoice_settlement(invoice)
	if settled.status == PAID or settled.due <= 0 or settled.outstanding <= 0:
		return
	from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

	acc = get_accounting_settings()
	amount = min(settled.due, settled.outstanding)
	user = frappe.session.user

	def post():
		payment = get_payment_entry(
			"Sales Invoice", invoice, amount if amount < settled.outstanding else None
		)
		if acc.mode_of_payment:
			payment.mode_of_payment = acc.mode_of_payment
		payment.reference_no = payment.reference_no or deal.name
		payment.reference_date = payment.reference_date or nowdate()
		payment.crm_deal = deal.name
		payment.flags.ignore_permissions = True
		payment.submit()
		return payment.name

	# ERPNext's mapping and the Payment Entry's own validation read the accounts with the
	# session user's permissions ("Payment Entry" and "Account" on Frappe 15), which a Sales
	# Manager does not hold: the right exercised is the transition, checked by the workflow,
	# as for the invoice Issue Invoice makes. The entry is then the user's own.
	name = as_administrator(post)
	frappe.db.set_value("Payment Entry", name, {"owner": user, "modified_by": user}, update_modified=False)


def as_administrator(fn, *args):
	"""Run ERPNext code that checks the session user's rights itself (its mapping functions
	and validations, which take no ignore_permissions) for the user taking a transition the
	workflow has already allowed; returns what `fn` returns.

	`frappe.set_user` also replaces the session's id and data and the request's form: all
	three are put back, or the request would answer with the cookie of a session named
	"Administrator" and the browser's own session would be lost."""
	local = frappe.local
	user, sid, data, form_dict = local.session.user, local.session.sid, local.session.data, local.form_dict
	frappe.set_user("Administrator")
	try:
		return fn(*args)
	finally:
		frappe.set_user(user)
		local.session.sid, local.session.data, local.form_dict = sid, data, form_dict


# --- Ship Goods -------------------------------------------------------------------------------


def ship_goods(deal):
	"""A Delivery Note against the invoice for the stock lines; none for services."""
	invoice = submitted_invoice(deal)
	if frappe.db.get_value("Sales Invoice", invoice, "update_stock"):
		return
	if frappe.db.exists("Delivery Note", {"crm_deal": deal.name, "docstatus": 1, "is_return": 0}):
		return
	note = as_administrator(delivery_note_for, invoice)
	if not note:
		return  # services only
	note.crm_deal = deal.name
	note.flags.ignore_permissions = True
	note.submit()


def delivery_note_for(invoice: str):
	"""An unsaved Delivery Note of the invoice's stock lines (ERPNext's own mapping, as the
	invoice's *Create › Delivery* makes it) from the settings' warehouse where a line names
	none; None when the invoice has services only. The mapping reads with the session
	user's rights."""
	from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_delivery_note

	note = make_delivery_note(invoice)
	stock_items = set(
		frappe.get_all(
			"Item",
			filters={"name": ("in", [i.item_code for i in note.items]), "is_stock_item": 1},
			pluck="name",
		)
	)
	note.set("items", [i for i in note.items if i.item_code in stock_items])
	if not note.items:
		return None
	acc = get_accounting_settings()
	for line in note.items:
		line.warehouse = line.warehouse or acc.warehouse
	note.run_method("calculate_taxes_and_totals")
	return note


# --- Back to Negotiation ----------------------------------------------------------------------


def withdraw_invoice(deal):
	"""Cancel the live invoice (delete it if it is a draft) and clear the link."""
	invoice = live_invoice(deal.name, for_update=True)
	if invoice:
		doc = frappe.get_doc("Sales Invoice", invoice)
		doc.flags.ignore_permissions = True
		doc.flags.crm_deal_withdrawn = True
		if doc.docstatus == 1:
			doc.cancel()
		else:
			frappe.delete_doc("Sales Invoice", invoice, ignore_permissions=True)
	deal.db_set("sales_invoice", None, update_modified=False)
