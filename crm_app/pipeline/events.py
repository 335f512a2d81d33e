"""A deal's stage change as one event.

Whatever moves a deal's stage — a workflow action, a save from the form or the board,
`frappe.client.set_value`, REST, Data Import, or a voucher posted, cancelled or amended in
ERPNext — it is a save of the Deal, and nothing else writes the stage. In that save:

- `validate` (the Deal controller, `pipeline.rules`) checks the rules, appends the stage
  history row, recomputes the funnel facts and records the `StageChange` on the document;
- `on_update` runs the reactions listed under "Deal" in hooks.py' `doc_events` (postings
  to ERPNext, the next-contact ToDo, SMS), each asking `stage_change(doc)`;
- `on_change` runs Frappe's standard Notifications (Value Change on `stage`): the client's
  letters and the responsible's notification stay editable Notification records.

A fact recorded elsewhere moves the deal through `record_fact`, which is that same save
with the workflow's role check skipped, so a ledger move cannot miss a consequence.
"""

from contextlib import contextmanager
from dataclasses import dataclass

import frappe

USER = "user"  # an action, a form or board save, REST, Data Import: may post to ERPNext
FACT = "fact"  # a voucher posted, cancelled or amended elsewhere: nothing is posted back
IMPORT = "import"  # a historical deal imported by a Sales Manager: silent


@dataclass(frozen=True)
class StageChange:
	"""The stage change a save makes. `from_stage` is None for a new deal."""

	from_stage: str | None
	to_stage: str
	cause: str = USER
	reference_doctype: str | None = None
	reference_name: str | None = None

	@property
	def by_user(self) -> bool:
		"""A move a user made in the CRM: its postings to ERPNext follow."""
		return self.cause == USER

	@property
	def silent(self) -> bool:
		"""No messages (letters, SMS) and no postings: a historical import."""
		return self.cause == IMPORT or bool(frappe.flags.in_import and frappe.flags.mute_emails)


def stage_change(deal) -> StageChange | None:
	"""The stage change the deal's current save makes, as recorded by the pipeline's rules
	in `validate`; None when the save leaves the stage as it was or inserts a new deal (a
	new deal's history row and facts are written, but nothing reacts to its arrival at
	its first stage, nor to a historical deal imported at a later one)."""
	change = deal.flags.get("stage_change")
	if not change or change.from_stage is None or change.from_stage == change.to_stage:
		return None
	return change


def record_fact(
	deal_name: str,
	stage: str,
	reference_doctype: str,
	reference_name: str,
	values: dict | None = None,
) -> bool:
	"""Put a deal at the stage a fact recorded elsewhere says (a payment, a delivery, a
	credit note, a cancelled or amended invoice), with `values` (e.g. the invoice link).

	The deal is saved like any other save, so every consequence of the stage change
	follows (history row naming `reference_doctype`/`reference_name`, funnel facts,
	ToDo, Notifications, SMS); only the workflow's role check is skipped — the user who
	posted the voucher need not be one who may take the transition — and nothing is
	posted back to ERPNext. The history names the session user who posted it.

	Returns False when the deal does not exist or is already there with those values.
	"""
	if not frappe.db.exists("Deal", deal_name):
		return False
	deal = frappe.get_doc("Deal", deal_name, for_update=True)
	values = values or {}
	if deal.stage == stage and all(deal.get(k) == v for k, v in values.items()):
		return False
	deal.update(values)
	deal.stage = stage
	deal.flags.stage_fact = (reference_doctype, reference_name)
	deal.flags.ignore_permissions = True
	deal.save()
	return True


@contextmanager
def all_or_nothing(label: str = "crm_deal"):
	"""Run a block as one unit inside the current transaction: when it raises, everything
	it wrote is undone (`ROLLBACK TO SAVEPOINT`) and the callbacks it queued for after the
	commit (SMS jobs, ERPNext's own deferred jobs) are dropped, whoever catches the
	exception afterwards — `frappe.client.bulk_update` and `frappe.model.workflow`'s bulk
	actions catch it and commit the rest of the request. The exception is re-raised.

	Used by the Deal's `save` and `insert`: a stage change and everything it posts to
	ERPNext (Customer, Item, Sales Invoice, Payment Entry, Delivery Note) are written
	together or not at all."""
	save_point = f"{label}_{frappe.generate_hash(length=10)}"
	queues = (frappe.db.after_commit, frappe.db.before_commit)
	queued = [len(q._functions) for q in queues]
	frappe.db.savepoint(save_point)
	try:
		yield
	except BaseException:
		try:
			frappe.db.rollback(save_point=save_point)
		except Exception:
			pass  # a deadlock or lost connection already ended the whole transaction
		for queue, length in zip(queues, queued, strict=True):
			while len(queue._functions) > length:
				queue._functions.pop()
		raise
	else:
		try:
			frappe.db.release_savepoint(save_point)
		except Exception as e:
			# a commit inside the block (a job run at once, as under tests) released it
			if "does not exist" not in str(e):
				raise
