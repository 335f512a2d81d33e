"""The Kanban board "Deals by Stage" and the `stage` options follow the workflow.

When the Deal Pipeline workflow is saved (an administrator adds "Contract
Signed", say), the Select options of Deal.stage (a Property Setter, so it
survives migrate) and the board's columns are brought in line with its states.
"""

import json

import frappe
from frappe.custom.doctype.property_setter.property_setter import make_property_setter
from frappe.query_builder.functions import Count, Sum

from crm_app.compat import aggregate
from crm_app.pipeline.workflow import Pipeline, get_pipeline, pipeline_from

BOARD_NAME = "Deals by Stage"
CARD_FIELDS = ["client_company", "grand_total", "responsible"]
INDICATORS = {
	"Primary": "Blue",
	"Info": "Light Blue",
	"Success": "Green",
	"Warning": "Orange",
	"Danger": "Red",
	"Inverse": "Gray",
}


def on_workflow_update(doc, method=None):
	if doc.document_type != "Deal" or not doc.is_active:
		return
	# The cached Workflow is refreshed only after on_update: read the saved document.
	pipeline = pipeline_from(doc)
	frappe.clear_cache(doctype="Deal")
	sync_stage_options(pipeline)
	sync_board(pipeline)


def sync_stage_options(pipeline: Pipeline | None = None):
	pipeline = pipeline or get_pipeline()
	if not pipeline:
		return
	field = frappe.get_meta("Deal").get_field("stage")
	wanted = "\n".join(pipeline.states)
	if (field.options or "") != wanted:
		make_property_setter("Deal", "stage", "options", wanted, "Text", validate_fields_for_doctype=False)
		frappe.clear_cache(doctype="Deal")


def ensure_board():
	if not frappe.db.exists("Kanban Board", BOARD_NAME):
		board = frappe.get_doc(
			{
				"doctype": "Kanban Board",
				"kanban_board_name": BOARD_NAME,
				"reference_doctype": "Deal",
				"field_name": "stage",
				"private": 0,
				"show_labels": 1,
				"fields": json.dumps(CARD_FIELDS),
				"filters": "[]",
			}
		)
		board.flags.ignore_permissions = True
		board.insert()
	sync_board()


def sync_board(pipeline: Pipeline | None = None):
	"""Columns in workflow order; columns of removed stages are archived, not lost."""
	if not frappe.db.exists("Kanban Board", BOARD_NAME):
		return
	pipeline = pipeline or get_pipeline()
	if not pipeline:
		return
	styles = dict(frappe.get_all("Workflow State", fields=["name", "style"], as_list=True))
	board = frappe.get_doc("Kanban Board", BOARD_NAME)
	existing = {c.column_name: c for c in board.columns}
	columns = []
	for state in pipeline.states:
		column = existing.pop(state, None) or frappe._dict(column_name=state, order="[]")
		columns.append(
			{
				"column_name": state,
				"status": "Active",
				"indicator": INDICATORS.get(styles.get(state) or "", "Gray"),
				"order": column.order or "[]",
			}
		)
	for column in existing.values():
		columns.append(
			{
				"column_name": column.column_name,
				"status": "Archived",
				"indicator": column.indicator,
				"order": column.order,
			}
		)
	current = [(c.column_name, c.status, c.indicator) for c in board.columns]
	if current != [(c["column_name"], c["status"], c["indicator"]) for c in columns]:
		board.set("columns", columns)
		board.flags.ignore_permissions = True
		board.save()


def remove_board():
	frappe.delete_doc_if_exists("Kanban Board", BOARD_NAME)


@frappe.whitelist()
def get_column_totals(filters: str | list | None = None) -> dict[str, dict]:
	"""Deals per stage and their grand totals per currency, for the board's
	column headers. Through frappe.get_list, so the user's permissions and the
	board's filters apply; a Sales User who sees only their own deals, on the
	unfiltered board, is answered from two covering indexes instead."""
	from crm_app.permissions.deal import is_restricted

	filters = frappe.parse_json(filters) if filters else None
	frappe.has_permission("Deal", "read", throw=True)
	if not filters and is_restricted():
		rows = own_column_totals(frappe.session.user)
	else:
		rows = frappe.get_list(
			"Deal",
			filters=filters,
			fields=[
				"stage",
				"currency",
				aggregate("count", "name", "count"),
				aggregate("sum", "grand_total", "amount"),
			],
			group_by="currency, stage",  # the order of the funnel's covering index
			order_by="stage asc",
		)
	totals: dict[str, dict] = {}
	for row in rows:
		column = totals.setdefault(row.stage, {"count": 0, "amounts": {}})
		column["count"] += row.count
		column["amounts"][row.currency] = (column["amounts"].get(row.currency) or 0) + (row.amount or 0)
	return totals


def own_column_totals(user: str) -> list:
	"""The restricted user's deals (responsible, or owner of a deal someone else
	is responsible for) as two index-only GROUP BYs: an OR of the two columns
	would read the whole table."""
	deal = frappe.qb.DocType("Deal")

	def grouped(condition):
		return (
			frappe.qb.from_(deal)
			.select(deal.stage, deal.currency, Count("*").as_("count"), Sum(deal.grand_total).as_("amount"))
			.where(condition)
			.groupby(deal.stage, deal.currency)
			.run(as_dict=True)
		)

	responsible = grouped(deal.responsible == user)
	owned = grouped((deal.owner == user) & ((deal.responsible != user) | deal.responsible.isnull()))
	return responsible + owned
