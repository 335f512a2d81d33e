"""Booking a bank statement of thousands of payments (Bank Statement Upload), as the
background job books it: deals at Invoice Issued seeded in bulk, a 1CClientBankExchange
file naming their invoices (most paid in full, some in part, some from unknown payers),
then the upload (read and match) and Book Payments, each timed.

bench --site <site> execute crm_app.benchmarks.statement.run --kwargs "{'lines': 5000}"

Runs on a throwaway site, with ERPNext posting switched off for the run (the seeded deals
have no Sales Invoices): the deals' own payments and their stage changes are booked.
"""

from datetime import timedelta

import frappe
from frappe.utils import getdate, now_datetime

from crm_app.benchmarks import Timer
from crm_app.benchmarks.seed import ITEM_FIELDS, LOG_FIELDS, ensure_catalog
from crm_app.documents import bank_exchange as bx
from crm_app.pipeline.facts import funnel_facts

PREFIX = "BENCH-STMT-"
ACCOUNT, BIK = "40702810938000000001", "044525225"
PATH = ("Request Received", "Negotiation", "Invoice Issued")


def seed(lines: int, currency: str) -> list[dict]:
	"""`lines` deals at Invoice Issued (ten per client company, one line each); returns
	[{deal, inn, total}]."""
	from crm_app.tests.utils import random_inn

	now = now_datetime().replace(microsecond=0)
	companies, deals, items, logs, out = [], [], [], [], []
	for c in range((lines + 9) // 10):
		companies.append(
			(f"{PREFIX}CLC-{c:06d}", now, now, "Administrator", "Administrator", 0, 0, "CLC-.#####",
			 f"Statement client {c}", "Legal Entity", random_inn())
		)  # fmt: skip
	for i in range(lines):
		name, company = f"{PREFIX}{i:06d}", companies[i // 10]
		total = float(1000 + i % 900)
		items.append(
			(f"{name}-I1", now, now, "Administrator", "Administrator", 0, 1, name, "Deal", "items",
			 "BENCH-ITEM-1", "Bench item", 1, "Nos", total, 0, total, 0)
		)  # fmt: skip
		history, previous = [], None
		for idx, stage in enumerate(PATH, start=1):
			changed = now - timedelta(hours=len(PATH) - idx)
			history.append(
				(f"{name}-H{idx}", changed, changed, "Administrator", "Administrator", 0, idx, name, "Deal",
				 "stage_history", previous, stage, changed, "Administrator", 3600 if previous else 0)
			)  # fmt: skip
			previous = stage
		logs += history
		facts = funnel_facts((h[10], h[11], h[14], h[12]) for h in history).as_fields()
		deals.append(
			{"name": name, "creation": now, "modified": now, "owner": "Administrator",
			 "modified_by": "Administrator", "docstatus": 0, "idx": 0, "naming_series": "DEAL-.YYYY.-.#####",
			 "title": f"Statement deal {i}", "stage": PATH[-1], "client_company": company[0],
			 "responsible": "Administrator", "source": "Phone", "currency": currency, "prices_include_vat": 1,
			 "net_total": total, "vat_total": 0, "grand_total": total, **facts}
		)  # fmt: skip
		out.append({"deal": name, "inn": company[10], "total": total})
	company_fields = ["name", "creation", "modified", "owner", "modified_by", "docstatus", "idx"]
	company_fields += ["naming_series", "company_name", "entity_type", "inn"]
	frappe.db.bulk_insert("Client Company", company_fields, companies, chunk_size=5000)
	frappe.db.bulk_insert("Deal", list(deals[0]), [tuple(d.values()) for d in deals], chunk_size=5000)
	frappe.db.bulk_insert("Deal Item", ITEM_FIELDS, items, chunk_size=5000)
	frappe.db.bulk_insert("Deal Stage Log", LOG_FIELDS, logs, chunk_size=5000)
	frappe.db.commit()
	return out


def statement(deals: list[dict]) -> bytes:
	"""Every eighth payment pays half its invoice, every tenth comes from an unknown payer."""
	day = getdate()
	payments = []
	for n, d in enumerate(deals):
		amount = d["total"] / 2 if n % 8 == 7 else d["total"]
		inn = "7707083893" if n % 10 == 9 else d["inn"]
		payments.append(
			{"number": str(10000 + n), "date": day, "amount": amount, "payer_inn": inn,
			 "payer": f"Payer {n}", "purpose": f"Оплата по счёту № {d['deal']} от {day:%d.%m.%Y}"}
		)  # fmt: skip
	return bx.build(ACCOUNT, payments, day, day)


def cleanup():
	uploads = frappe.get_all(
		"Bank Statement Upload", filters={"statement_file": ("like", "%bench-statement%")}, pluck="name"
	)
	for doctype, field in (("Bank Statement Upload Line", "parent"), ("Bank Statement Upload", "name")):
		frappe.db.delete(doctype, {field: ("in", uploads or [""])})
	for doctype in ("Deal Item", "Deal Stage Log"):
		frappe.db.delete(doctype, {"parent": ("like", f"{PREFIX}%")})
	for doctype in ("Deal", "Client Company"):
		frappe.db.delete(doctype, {"name": ("like", f"{PREFIX}%")})
	for name in frappe.get_all("File", filters={"file_name": ("like", "bench-statement%")}, pluck="name"):
		frappe.delete_doc("File", name, force=True, ignore_permissions=True)
	frappe.db.commit()


def run(lines: int = 5000, keep: bool = False) -> dict:
	"""Seed, upload and book a statement of `lines` payments; prints and returns
	{"lines", "read_s", "book_s", "booked", "unmatched", "lines_per_s"}."""
	from crm_app.documents.bank_statements import book_now

	frappe.set_user("Administrator")
	frappe.flags.mute_emails = True
	saved = frappe.db.get_singles_dict("CRM App Settings")
	keys = ("seller_settlement_account", "seller_bik", "erpnext_enabled")
	settings = frappe.get_single("CRM App Settings")
	if settings.seller_settlement_account != ACCOUNT:
		settings.seller_bik, settings.seller_settlement_account = BIK, ACCOUNT
	settings.erpnext_enabled = 0
	settings.save()
	frappe.db.commit()
	currency = frappe.db.get_default("currency") or "RUB"
	ensure_catalog()
	try:
		deals = seed(lines, currency)
		data = statement(deals)
		file = frappe.get_doc(
			{"doctype": "File", "file_name": "bench-statement.txt", "content": data, "is_private": 1}
		).insert()
		with Timer() as read:
			doc = frappe.get_doc(
				{"doctype": "Bank Statement Upload", "statement_file": file.file_url}
			).insert()
			frappe.db.commit()
		with Timer() as book:
			result = book_now(doc, background=True)
			frappe.db.commit()
		out = {
			"lines": len(doc.lines),
			"read_s": round(read.seconds, 1),
			"book_s": round(book.seconds, 1),
			**result,
			"lines_per_s": round(result["booked"] / book.seconds, 1) if book.seconds else None,
		}
		print(out)
		return out
	finally:
		if not keep:
			cleanup()
		for key in keys:
			frappe.db.set_single_value("CRM App Settings", key, saved.get(key))
		frappe.clear_document_cache("CRM App Settings", "CRM App Settings")
		frappe.db.commit()
