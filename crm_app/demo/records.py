"""Which records are the demo's: while the demo loads (and while it is cleared), every
document inserted in the process is listed in *CRM Demo Record*, in the order it was made —
what the demo makes itself and what Frappe and ERPNext make on the way (history rows'
versions, ToDos, Customers, Items, vouchers and their ledger entries). `clear` removes
exactly those, newest first: submitted vouchers are cancelled and deleted through ERPNext's
own deletion of a cancelled transaction with its ledger entries, the rest deleted with
Frappe's link checks, so a demo record the user's own records have come to use (a demo
client on their own deal, say) is kept and named, never broken.
"""

from collections import Counter
from contextlib import contextmanager

import frappe
from frappe import _

FLAG = "crm_demo_recording"
REGISTRY = "CRM Demo Record"
# ledger rows go with their voucher (ERPNext's "delete linked ledger entries"); a Repost Item
# Valuation is ERPNext's queued recalculation after a stock voucher is cancelled, about
# vouchers that are deleted with it
LEDGERS = ("GL Entry", "Payment Ledger Entry", "Stock Ledger Entry", "Repost Item Valuation")
# notes about a record (its versions, comments, ToDos, shares, follows, notifications), which
# Frappe's delete_dynamic_links removes with the record: deleted directly at the end, one by
# one would be one delete_doc (and one queued job) each for nothing
REFERENCES = ("Version", "Comment", "ToDo", "DocShare", "View Log", "Document Follow", "Notification Log")
# Frappe's own logs are not the demo's data, and the registry does not list itself
NOT_RECORDED = {REGISTRY, "Deleted Document", "Error Log", "Scheduled Job Log", "Access Log", "Route History"}


def record(doc, method=None):
	"""doc_event on every DocType (after_insert): while the demo loads or clears, remember the
	record made. Costs one flag lookup otherwise."""
	pending = frappe.flags.get(FLAG)
	if pending is not None and doc.doctype not in NOT_RECORDED:
		pending.append((doc.doctype, doc.name))


@contextmanager
def emails_muted():
	"""Frappe's mute_emails on for the block (the demo's records mail nobody), put back as it
	was afterwards, also when the block fails."""
	before = frappe.flags.mute_emails
	frappe.flags.mute_emails = True
	try:
		yield
	finally:
		frappe.flags.mute_emails = before


@contextmanager
def recording():
	"""List every record inserted inside the block; `flush` writes the list (call it before
	each commit), and the block's end writes the rest."""
	frappe.flags[FLAG] = []
	try:
		yield
	finally:
		flush()
		frappe.flags[FLAG] = None


def flush():
	"""Write the records listed so far to CRM Demo Record (one insert), in their order."""
	pending = frappe.flags.get(FLAG)
	if not pending:
		return
	now, user = frappe.utils.now(), frappe.session.user
	last = frappe.db.sql(f"select max(sequence) from `tab{REGISTRY}`")[0][0] or 0
	rows = [
		(frappe.generate_hash(length=12), last + n, doctype, name, now, now, user, user)
		for n, (doctype, name) in enumerate(pending, 1)
	]
	frappe.db.bulk_insert(
		REGISTRY,
		[
			"name",
			"sequence",
			"reference_doctype",
			"reference_name",
			"creation",
			"modified",
			"owner",
			"modified_by",
		],
		rows,
	)
	pending.clear()


def commit():
	"""Flush the list, then commit."""
	flush()
	frappe.db.commit()


def loaded() -> bool:
	"""Whether demo records are on the site."""
	return bool(frappe.db.table_exists(REGISTRY) and frappe.db.a_row_exists(REGISTRY))


def listed(newest_first: bool = True) -> list[tuple[str, str]]:
	"""(doctype, name) of every demo record, newest first by default."""
	rows = frappe.get_all(
		REGISTRY,
		fields=["reference_doctype", "reference_name"],
		order_by=f"sequence {'desc' if newest_first else 'asc'}",
		as_list=True,
	)
	return [(d, n) for d, n in rows]


def _submitted(doctype: str, name: str) -> bool:
	meta = frappe.get_meta(doctype)
	return bool(meta.is_submittable) and frappe.db.get_value(doctype, name, "docstatus") == 1


@contextmanager
def ledger_entries_deleted_with_vouchers():
	"""ERPNext's Accounts Settings › Delete Accounting and Stock Ledger Entries on deletion of
	Transaction, on for the block (a cancelled voucher then takes its GL, payment and stock
	ledger entries along) and put back afterwards."""
	if "erpnext" not in frappe.get_installed_apps():
		yield
		return
	before = frappe.db.get_single_value("Accounts Settings", "delete_linked_ledger_entries")
	frappe.db.set_single_value("Accounts Settings", "delete_linked_ledger_entries", 1)
	try:
		yield
	finally:
		frappe.db.set_single_value("Accounts Settings", "delete_linked_ledger_entries", before or 0)


def clear() -> dict:
	"""Remove every demo record, newest first, and the registry rows of those gone.

	Returns {"deleted": Counter by DocType, "kept": [(doctype, name, reason)]}: a record
	kept is one the user's own records link to (Frappe's link check), or one ERPNext
	refuses to cancel; its registry row stays, so a later clear tries it again.
	Commits as it goes (every 100 records), like the load.
	"""
	with emails_muted():
		return _clear()


def _clear() -> dict:
	deleted: Counter = Counter()
	gone: dict[str, list[str]] = {}
	kept: list[tuple[str, str, str]] = []
	with recording(), ledger_entries_deleted_with_vouchers():
		# 1. cancel what is submitted, newest first: payments and deliveries before invoices,
		# invoices before the stock receipt (the deals follow the ledger back, as in use)
		for count, (doctype, name) in enumerate(listed()):
			if doctype in LEDGERS or not frappe.db.exists(doctype, name) or not _submitted(doctype, name):
				continue
			frappe.db.savepoint("crm_demo_cancel")
			try:
				doc = frappe.get_doc(doctype, name)
				doc.flags.ignore_permissions = True
				doc.cancel()
			except Exception as error:
				frappe.db.rollback(save_point="crm_demo_cancel")
				kept.append(
					(doctype, name, _("not cancelled: {0}").format(frappe.utils.strip_html(str(error))))
				)
			if count % 100 == 99:
				commit()
		commit()
		twins = _unlink_twins()
		# 2. delete, newest first, with what the cancellations made
		pending = [(d, n) for d, n in listed() if d not in LEDGERS and d not in REFERENCES]
		kept += _delete_all(pending, set(listed()), deleted, gone)
		_relink_twins(twins)
		# the stage probabilities measured again without the demo's deals (its settings
		# Version is listed, and goes with the notes below)
		from crm_app.analytics.probability import measure

		measure()
		flush()
		# 3. ledger rows whose voucher is gone, notes about the records, Frappe's notes of the
		# deletions
		ledger = [(d, n) for d, n in listed() if d in LEDGERS or d in REFERENCES]
		for doctype in LEDGERS + REFERENCES:
			names = [n for d, n in ledger if d == doctype]
			if names:
				for start in range(0, len(names), 500):
					frappe.db.delete(doctype, {"name": ("in", names[start : start + 500])})
				deleted[doctype] += len(names)
		_forget(ledger)
		drop_traces(gone)
		if gone.get("Fiscal Year"):
			from crm_app.erpnext_integration.demo import forget_fiscal_years

			forget_fiscal_years()
	commit()
	# the feed of the deletions ("Deleted" comments) and what the clear made and deleted itself
	for doctype, name in listed():
		if doctype == "Comment" and frappe.db.get_value("Comment", name, "comment_type") == "Deleted":
			frappe.db.delete("Comment", {"name": name})
		if not frappe.db.exists(doctype, name):
			_forget([(doctype, name)])
	commit()
	return {"deleted": deleted, "kept": kept}


# Frappe's logs that name a record (a permission change, a login): they do not make it the
# user's own
LOGS = {
	"Permission Log",
	"Activity Log",
	"Access Log",
	"Version",
	"Comment",
	"Notification Log",
	"Route History",
}


def _delete_all(
	pending: list[tuple[str, str]], demo: set, deleted: Counter, gone: dict
) -> list[tuple[str, str, str]]:
	"""Delete the records with Frappe's checks, in rounds while any goes: a record refused
	in one round (its parent's deletion takes it along, or a newer demo record links it) is
	tried again. Demo records that only link each other in a circle (a deal's history names
	the payment that names the deal) are deleted past the link check once nothing else
	moves; a record a non-demo record links (the user's own deal on a demo client) is kept.
	Returns the kept ones with Frappe's reason."""
	refused: list[tuple[str, str, str]] = []
	force = False
	while pending:
		refused = []
		for count, (doctype, name) in enumerate(pending):
			if not frappe.db.exists(doctype, name):
				_forget([(doctype, name)])
				continue
			if _submitted(doctype, name):
				continue  # named in step 1
			if force and (users := own_links(doctype, name, demo)):
				refused.append(
					(
						doctype,
						name,
						_("your own records use it: {0}").format(", ".join(f"{_(d)} {n}" for d, n in users)),
					)
				)
				continue
			error = _delete(doctype, name, force)
			if error:
				refused.append((doctype, name, error))
				continue
			_forget([(doctype, name)])
			deleted[doctype] += 1
			gone.setdefault(doctype, []).append(name)
			if count % 100 == 99:
				commit()
		progress = len(refused) < len(pending)
		if not progress and force:
			break
		force = not progress
		pending = [(d, n) for d, n, _reason in refused]
	return [(d, n, reason) for d, n, reason in refused if frappe.db.exists(d, n)]


def _delete(doctype: str, name: str, force: bool) -> str | None:
	"""Delete one record (and its notes, now); the error message when it is refused."""
	from frappe.model.delete_doc import delete_dynamic_links

	frappe.db.savepoint("crm_demo_delete")
	deferred = len(frappe.db.after_commit._functions)
	try:
		frappe.delete_doc(doctype, name, ignore_permissions=True, ignore_missing=True, force=force)
		delete_dynamic_links(doctype, name)
		_drop_deferred_link_cleanup(deferred)
	except Exception as error:
		frappe.db.rollback(save_point="crm_demo_delete")
		return frappe.utils.strip_html(str(error))
	return None


def own_links(doctype: str, name: str, demo: set, first: int = 3) -> list[tuple[str, str]]:
	"""The first `first` records outside `demo` (and outside Frappe's logs) that link this
	one, as (doctype, name): a child row counts as its parent. Reads the links as Frappe's
	own delete check does (`get_link_fields`: every link field of every DocType and child
	table; `get_dynamic_link_map`: every dynamic link), whole — not the "linked with" list,
	which keeps one child table per parent DocType (a Sales Invoice's packed items hide its
	item lines) and stops at 20 rows."""
	from frappe.model.dynamic_links import get_dynamic_link_map
	from frappe.model.rename_doc import get_link_fields

	ignored = set(frappe.get_hooks("ignore_links_on_delete")) | LOGS
	links = [(lf["parent"], lf["fieldname"], None) for lf in get_link_fields(doctype) if not lf["issingle"]]
	links += [(df.parent, df.fieldname, df.options) for df in get_dynamic_link_map().get(doctype, [])]
	found: list[tuple[str, str]] = []
	for table, field, doctype_field in links:
		if table in ignored:
			continue
		meta = frappe.get_meta(table)
		if meta.issingle:
			continue
		filters = {field: name, **({doctype_field: doctype} if doctype_field else {})}
		fields = ["name", "parent", "parenttype"] if meta.istable else ["name"]
		for row in frappe.get_all(table, filters=filters, fields=fields):
			owner = (row.parenttype, row.parent) if meta.istable else (table, row.name)
			if owner[0] in ignored or owner == (doctype, name) or owner in demo or owner in found:
				continue
			found.append(owner)
			if len(found) >= first:
				return found
	return found


def _drop_deferred_link_cleanup(since: int):
	"""Drop the job Frappe's delete_doc queued for after the commit to remove the deleted
	record's notes (frappe.model.delete_doc.delete_dynamic_links): it has just run here.
	Thousands of records would otherwise queue thousands of jobs, which Frappe 16 refuses
	past its queue limit on a bench whose workers are not running (a fresh docker site, CI).
	Only those jobs are dropped; any other callback stays."""
	import inspect

	functions = frappe.db.after_commit._functions
	for fn in list(functions)[since:]:
		try:
			args = inspect.getclosurevars(fn).nonlocals.get("queue_args") or {}
		except (TypeError, ValueError):
			continue
		if args.get("method") == "frappe.model.delete_doc.delete_dynamic_links":
			functions.remove(fn)


def _unlink_twins() -> list[tuple[str, str, str, str]]:
	"""Clear the demo records' links to their ERPNext twins, which link them back: neither
	could be deleted first otherwise. Returns (doctype, name, field, twin) of each link
	cleared, for `_relink_twins`."""
	if "erpnext" not in frappe.get_installed_apps():
		return []
	from crm_app.erpnext_integration.custom_fields import LINKED_BOTH_WAYS

	cleared = []
	for doctype, name in listed():
		field = LINKED_BOTH_WAYS.get(doctype)
		twin = field and frappe.db.get_value(doctype, name, field)
		if twin:
			frappe.db.set_value(doctype, name, field, None, update_modified=False)
			cleared.append((doctype, name, field, twin))
	return cleared


def _relink_twins(cleared: list[tuple[str, str, str, str]]):
	"""A record kept with its twin (the user's own records use both) gets its link back."""
	for doctype, name, field, twin in cleared:
		target = frappe.get_meta(doctype).get_field(field).options
		if frappe.db.exists(doctype, name) and frappe.db.exists(target, twin):
			frappe.db.set_value(doctype, name, field, twin, update_modified=False)


def _forget(pairs: list[tuple[str, str]]):
	for doctype, name in pairs:
		frappe.db.delete(REGISTRY, {"reference_doctype": doctype, "reference_name": name})


def drop_traces(gone: dict[str, list[str]]):
	"""Frappe's Deleted Document copies of the records deleted and the mails queued about
	them: the demo leaves nothing in the trash or the outbox. A user's Notification Settings
	go with the user (Frappe's User.on_trash), and so do their Dashboard Settings."""
	if gone.get("User"):
		gone = {**gone, "Notification Settings": gone.get("Notification Settings", []) + gone["User"]}
		# the desk's own record of a demo user's workspace charts, made when they logged in
		frappe.db.delete("Dashboard Settings", {"name": ("in", gone["User"])})
	for doctype, names in gone.items():
		for start in range(0, len(names), 500):
			chunk = names[start : start + 500]
			frappe.db.delete("Deleted Document", {"deleted_doctype": doctype, "deleted_name": ("in", chunk)})
			_drop_mail(doctype, chunk)


def drop_outbox():
	"""Drop the mails queued about demo records while the demo loaded (to its fictional
	clients and team, under .example): a demo letter never goes out."""
	by_doctype: dict[str, list[str]] = {}
	for doctype, name in listed():
		by_doctype.setdefault(doctype, []).append(name)
	for doctype, names in by_doctype.items():
		for start in range(0, len(names), 500):
			_drop_mail(doctype, names[start : start + 500])


def _drop_mail(doctype: str, names: list[str]):
	queued = frappe.get_all(
		"Email Queue", filters={"reference_doctype": doctype, "reference_name": ("in", names)}, pluck="name"
	)
	if queued:
		frappe.db.delete("Email Queue Recipient", {"parent": ("in", queued)})
		frappe.db.delete("Email Queue", {"name": ("in", queued)})
