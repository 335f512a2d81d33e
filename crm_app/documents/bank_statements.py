"""Bank statements that pay invoices (Bank Statement Upload).

A statement (1CClientBankExchange, crm_app.documents.bank_exchange) is read whole when it
is attached: its incoming payments to the seller's own settlement account become lines,
each matched to an invoice by the invoice number its purpose names AND the payer's INN
(the client company's) — never by the amount alone. A payment nobody can match stays
"Unmatched" for a person to decide.

Book Payments books the matched lines:
- with ERPNext posting the deals: ERPNext's own records (a Bank Transaction on the
  company's Bank Account of that settlement account and a Payment Entry against the
  invoice, reconciled with it: crm_app.erpnext_integration.bank); the ledger's hooks then
  move the deal (a full payment to Invoice Paid; a partial one leaves it at Invoice Issued
  with the invoice's outstanding reduced);
- without: the deal's Paid amount grows, and a full payment moves it to Invoice Paid
  through the stage-change event (pipeline.events.record_fact).

A payment is known by its account, date, number, amount and payer INN: uploaded again it
is "Booked Before" and nothing is booked twice. A statement of more than BACKGROUND_LINES
payments is booked by a background job that reports its progress.
"""

import frappe
from frappe import _
from frappe.utils import flt

from crm_app.clients.companies import inns as client_inns
from crm_app.documents import bank_exchange as bx
from crm_app.pipeline import stages
from crm_app.pipeline.events import record_fact
from crm_app.settings import get_settings

UNMATCHED = "Unmatched"
MATCHED = "Matched"
PARTLY_PAID = "Partly Paid"
BOOKED = "Booked"
BOOKED_BEFORE = "Booked Before"
BOOKABLE = (MATCHED, PARTLY_PAID)

NOT_BOOKED = "Not Booked"
QUEUED = "Queued"
BOOKING = "Booking"
DONE = "Booked"

BACKGROUND_LINES = 200
PROGRESS_EVERY = 50
COMMIT_EVERY = 100  # lines booked between commits in the background job
PAID_TOLERANCE = 0.005


def ledger():
	"""The ERPNext side when ERPNext posts the deals, else None."""
	from crm_app.erpnext_integration.settings import posting_enabled

	if posting_enabled():
		from crm_app.erpnext_integration import bank

		return bank
	return None


def statement_bytes(file_url: str) -> bytes:
	"""The attached file's bytes as the bank wrote them (File.get_content would hand back
	text guessed from the bytes, and Frappe 16 guesses windows-1250 for windows-1251)."""
	file = frappe.get_doc("File", {"file_url": file_url})
	if file.is_remote_file:
		frappe.throw(_("Attach the bank statement file."), title=_("Bank Statement"))
	with open(file.get_full_path(), "rb") as f:
		return f.read()


def own_accounts() -> list[str]:
	"""The seller's settlement accounts: CRM App Settings › Settlement Account and, with
	ERPNext, the company's Bank Accounts."""
	accounts = [get_settings().get("seller_settlement_account") or ""]
	if side := ledger():
		accounts += list(side.company_accounts())
	return [a.strip() for a in accounts if a and a.strip()]


def read_statement(doc):
	"""Fill the upload from its file: the account, the period and a line per incoming
	payment, matched. Throws, keeping nothing, for a file that is not a statement, a
	damaged one or one of another account."""
	if not doc.statement_file:
		frappe.throw(_("Attach the bank statement file."), title=_("Bank Statement"))
	try:
		statement = bx.parse(statement_bytes(doc.statement_file))
	except bx.StatementError as e:
		frappe.throw(
			_("The file cannot be read as a bank statement: {0}. Nothing was booked.").format(str(e)),
			title=_("Bank Statement"),
		)
	ours = own_accounts()
	account = next((a for a in statement.accounts if a in ours), None)
	if not account:
		frappe.throw(
			_(
				"The statement is of account {0}, which is not the seller's (CRM App Settings › "
				"Settlement Account{1}). Nothing was booked."
			).format(
				", ".join(statement.accounts) or "?",
				_(", or a Bank Account of the company") if ledger() else "",
			),
			title=_("Bank Statement"),
		)
	doc.account, doc.statement_from, doc.statement_to = account, statement.start, statement.end
	doc.set("lines", [])
	for payment in statement.incoming(account):
		doc.append(
			"lines",
			{
				"payment_key": payment.key(account),
				"payment_date": payment.received or payment.date,
				"payment_number": payment.number,
				"amount": float(payment.amount),
				"payer": payment.payer[:140],
				"payer_inn": payment.payer_inn,
				"purpose": payment.purpose,
				"status": UNMATCHED,
			},
		)
	match_lines(doc)


def booked_elsewhere(key: str, upload: str | None) -> str | None:
	"""The upload that booked the payment `key` already, if any (what this transaction
	sees; `claim` is the database's own word at booking)."""
	line = frappe.qb.DocType("Bank Statement Upload Line")
	query = (
		frappe.qb.from_(line)
		.select(line.parent)
		.where((line.payment_key == key) & (line.status == BOOKED) & (line.parent != (upload or "")))
		.limit(1)
	)
	found = [row[0] for row in query.run()]
	return found[0] if found else None


def candidates(purpose: str) -> list[dict]:
	"""Open invoices the purpose names: [{deal, invoice, outstanding, inn}]."""
	numbers = bx.numbers_in(purpose)
	if not numbers:
		return []
	if side := ledger():
		return side.invoices_named(numbers)
	deals = frappe.get_all(
		"Deal",
		filters={"name": ("in", numbers), "stage": stages.INVOICE_ISSUED},
		fields=["name", "grand_total", "paid_amount", "client_company"],
	)
	inns = client_inns(d.client_company for d in deals)
	return [
		{
			"deal": d.name,
			"invoice": d.name,
			"outstanding": flt(d.grand_total) - flt(d.paid_amount),
			"inn": inns.get(d.client_company),
		}
		for d in deals
	]


def match_lines(doc):
	"""Match every line not yet booked (see the module): the status, deal, invoice and a
	note of why a line stays unmatched."""
	seen = set()
	for row in doc.lines:
		if row.status == BOOKED:
			seen.add(row.payment_key)
			continue
		row.deal = row.invoice = row.note = None
		if row.payment_key in seen or booked_elsewhere(row.payment_key, doc.name):
			row.status = BOOKED_BEFORE
			row.note = _("This payment was booked from an earlier statement.")
			continue
		seen.add(row.payment_key)
		found = candidates(row.purpose)
		same_payer = [c for c in found if c["inn"] and c["inn"] == row.payer_inn]
		if not same_payer:
			row.status = UNMATCHED
			row.note = (
				_("The payer's INN is not the INN of the client of invoice {0}.").format(found[0]["invoice"])
				if found
				else _("The purpose names no open invoice.")
			)
			continue
		match = same_payer[0]
		row.deal, row.invoice = match["deal"], match["invoice"]
		row.status = MATCHED if flt(row.amount) >= match["outstanding"] - PAID_TOLERANCE else PARTLY_PAID
	summarize(doc)


def summarize(doc):
	doc.total_lines = len(doc.lines)
	doc.matched_lines = sum(1 for r in doc.lines if r.status in BOOKABLE)
	doc.booked_lines = sum(1 for r in doc.lines if r.status == BOOKED)
	doc.unmatched_lines = sum(1 for r in doc.lines if r.status == UNMATCHED)


def book_payments(doc) -> dict:
	"""Book the matched lines of the upload `doc` (see the module). Returns {"queued":
	True} when a background job books them, else {"booked": n, "unmatched": n}."""
	doc.check_permission("write")
	if doc.status in (QUEUED, BOOKING):
		frappe.throw(_("This statement is being booked already."), title=_("Bank Statement"))
	bookable = sum(1 for r in doc.lines if r.status in BOOKABLE)
	if not bookable:
		frappe.throw(_("No payment of this statement is matched to an invoice."), title=_("Bank Statement"))
	if bookable > BACKGROUND_LINES:
		doc.db_set("status", QUEUED)
		frappe.enqueue(
			"crm_app.documents.bank_statements.book_in_background",
			queue="long",
			timeout=4 * 3600,
			upload=doc.name,
			user=frappe.session.user,
			enqueue_after_commit=True,
		)
		return {"queued": True}
	return book_now(doc)


def book_in_background(upload: str, user: str):
	"""The background job of `book_payments`, as the user who asked."""
	frappe.set_user(user)
	doc = frappe.get_doc("Bank Statement Upload", upload)
	try:
		book_now(doc, background=True)
	except Exception:
		frappe.db.rollback()
		frappe.db.set_value("Bank Statement Upload", upload, "status", NOT_BOOKED)
		frappe.db.commit()
		raise


def lock_deals(names: list[str]):
	"""Lock the deals in name order: two statements booked at the same moment take their
	common deals in one order and wait for each other instead of deadlocking."""
	deal = frappe.qb.DocType("Deal")
	frappe.qb.from_(deal).select(deal.name).where(deal.name.isin(names)).orderby(deal.name).for_update().run()


def book_now(doc, background: bool = False) -> dict:
	"""Book the matched lines, each all or nothing (a line that fails stays unmatched with
	the reason), the deals locked first in name order, a hundred at a time; lines are
	matched again first (deals change)."""
	match_lines(doc)
	side = ledger()
	rows = sorted((r for r in doc.lines if r.status in BOOKABLE), key=lambda r: (r.deal, r.idx))
	for start in range(0, max(len(rows), 1), COMMIT_EVERY):
		chunk = rows[start : start + COMMIT_EVERY]
		lock_deals(sorted({r.deal for r in chunk}) or [""])
		if start == 0:
			doc.db_set("status", BOOKING)
		for row in chunk:
			frappe.db.savepoint("crm_bank_line")
			try:
				book_line(doc, row, side)
			except frappe.ValidationError as e:
				frappe.db.rollback(save_point="crm_bank_line")
				frappe.clear_messages()
				row.status, row.note = UNMATCHED, str(e)[:140]
			row.db_update()
		if background:
			done = start + len(chunk)
			frappe.publish_progress(
				done * 100 / len(rows), title=_("Booking payments"), doctype=doc.doctype, docname=doc.name
			)
			frappe.db.commit()
	summarize(doc)
	doc.status = DONE
	doc.flags.booking = True
	doc.save(ignore_permissions=True)
	return {"booked": doc.booked_lines, "unmatched": doc.unmatched_lines}


def claim(row) -> bool:
	"""Mark the line's payment as booked: its key in a column with a unique index, so the
	database, not a read, decides which of two bookings of one payment goes on (the other
	waits for the first to commit, then is refused). False when it was booked already."""
	try:
		frappe.db.set_value(
			"Bank Statement Upload Line", row.name, "booked_key", row.payment_key, update_modified=False
		)
	except Exception as e:
		if frappe.db.is_duplicate_entry(e) or frappe.db.is_unique_key_violation(e):
			return False
		raise
	row.booked_key = row.payment_key
	return True


def book_line(doc, row, side):
	"""Book one matched line (its deal locked already: the lock order of the ledger)."""
	if not claim(row):
		row.status, row.note = BOOKED_BEFORE, _("This payment was booked from an earlier statement.")
		return
	if side:
		row.booked_as = side.book(row, doc.account, doc.name)
	else:
		deal = frappe.db.get_value("Deal", row.deal, ["stage", "grand_total", "paid_amount"], as_dict=True)
		paid = flt(deal.paid_amount) + flt(row.amount)
		full = paid >= flt(deal.grand_total) - PAID_TOLERANCE
		record_fact(
			row.deal,
			stages.INVOICE_PAID if full else deal.stage,
			"Bank Statement Upload",
			doc.name,
			{"paid_amount": paid},
		)
		row.booked_as = row.deal
	row.status, row.note = BOOKED, None
