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


# --- the board page ---------------------------------------------------------------------------
# Frappe's Kanban view loads every matching deal and draws a card for each (page_length 0):
# with years of deals the browser freezes. The Deal list's Kanban view leads to the app's page
# "deal-board" instead (deal_list.js), which asks for one page of cards per column and the
# columns' counts and sums for all their deals, and writes nothing when it opens.

PAGE_LENGTH = 20
MAX_PAGE_LENGTH = 100
PAGE_CARD_FIELDS = [
	"name",
	"title",
	"stage",
	"client_company",
	"grand_total",
	"currency",
	"responsible",
	"next_contact_date",
	"creation",
]


def _board_filters(filters) -> list:
	filters = frappe.parse_json(filters) if filters else []
	if isinstance(filters, dict):
		filters = [[key, "=", value] for key, value in filters.items()]
	return list(filters or [])


def column_cards(stage: str, filters: list, start: int, page_length: int) -> list[dict]:
	"""One page of a column's cards, the ones a salesperson acts on first: deals with a next
	contact date (soonest first), then the rest (newest first). Through frappe.get_list, so
	the user's row rule and the board's filters apply; read from the (stage,
	next_contact_date, creation) index."""
	base = [*filters, ["stage", "=", stage]]
	dated = frappe.get_list(
		"Deal",
		filters=[*base, ["next_contact_date", "is", "set"]],
		fields=PAGE_CARD_FIELDS,
		order_by="next_contact_date asc, creation desc",
		limit_start=start,
		limit_page_length=page_length,
	)
	if len(dated) == page_length:
		return dated
	if dated or not start:
		dated_count = start + len(dated)
	else:
		dated_count = frappe.get_list(
			"Deal",
			filters=[*base, ["next_contact_date", "is", "set"]],
			fields=[aggregate("count", "*", "count")],
			order_by="",
		)[0].count
	rest = frappe.get_list(
		"Deal",
		filters=[*base, ["next_contact_date", "is", "not set"]],
		fields=PAGE_CARD_FIELDS,
		order_by="creation desc",
		limit_start=max(0, start - dated_count),
		limit_page_length=page_length - len(dated),
	)
	return dated + rest


def company_names(cards: list[dict]) -> dict[str, str]:
	names = list({c["client_company"] for c in cards if c.get("client_company")})
	if not names:
		return {}
	return dict(
		frappe.get_list(
			"Client Company",
			filters={"name": ("in", names)},
			fields=["name", "company_name"],
			as_list=True,
			limit_page_length=0,
		)
	)


def _page_length(page_length) -> int:
	return max(1, min(int(page_length or PAGE_LENGTH), MAX_PAGE_LENGTH))


@frappe.whitelist()
def get_board(filters: str | list | None = None, page_length: int = PAGE_LENGTH) -> dict:
	"""The board page's first draw: {"columns": [{"stage", "indicator", "count", "amounts":
	{currency: sum}, "cards": [card], "more": bool}], "company_names": {name: company_name}}.
	Columns in workflow order; at most `page_length` (1–100, default 20) cards each; counts
	and sums over all the column's deals under the same filters and row rule. Reads only."""
	frappe.has_permission("Deal", "read", throw=True)
	filters = _board_filters(filters)
	page_length = _page_length(page_length)
	pipeline = get_pipeline()
	states = pipeline.states if pipeline else []
	styles = dict(frappe.get_all("Workflow State", fields=["name", "style"], as_list=True))
	totals = get_column_totals(filters or None)
	columns, cards = [], []
	for stage in states:
		total = totals.get(stage) or {"count": 0, "amounts": {}}
		column_cards_ = column_cards(stage, filters, 0, page_length) if total["count"] else []
		cards += column_cards_
		columns.append(
			{
				"stage": stage,
				"indicator": INDICATORS.get(styles.get(stage) or "", "Gray").lower(),
				"count": total["count"],
				"amounts": total["amounts"],
				"cards": column_cards_,
				"more": len(column_cards_) < total["count"],
			}
		)
	return {"columns": columns, "company_names": company_names(cards), "page_length": page_length}


@frappe.whitelist()
def get_column_page(
	stage: str, filters: str | list | None = None, start: int = 0, page_length: int = PAGE_LENGTH
) -> dict:
	"""The next page of one column ("Load more"): {"cards": [card], "company_names": {…}}."""
	frappe.has_permission("Deal", "read", throw=True)
	cards = column_cards(stage, _board_filters(filters), max(0, int(start or 0)), _page_length(page_length))
	return {"cards": cards, "company_names": company_names(cards)}


@frappe.whitelist(methods=["POST"])
def move_card(name: str, stage: str) -> dict:
	"""A card dropped on another column: the deal's stage changed by a save, as the form and
	Frappe's own board do — the workflow's transitions, the stage rules and every consequence
	of the change apply; a refusal comes back as Frappe's message. Returns the card."""
	deal = frappe.get_doc("Deal", name)
	deal.check_permission("write")
	deal.stage = stage
	deal.save()
	return {field: deal.get(field) for field in PAGE_CARD_FIELDS}
