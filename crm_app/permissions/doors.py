"""Frappe's whitelisted methods that read rows outside `frappe.get_list`, made to keep the
row rules (`permission_query_conditions` + `has_permission`) of every DocType that has one
(Deal, Sales Target, any added later).

Each is a thin wrapper of Frappe's own function, wired through `override_whitelisted_methods`
in hooks.py (`guard_requests`, an auth hook, covers the REST routes, which that hook does
not reach). A wrapper changes nothing for a DocType without a row rule, nor for a user the rule
does not restrict. The README's "Row rules on every door" lists every Frappe method that
reads rows, on Frappe 15 and 16, and how each keeps the rule.
"""

import inspect
import json

import frappe
from frappe import _
from frappe.client import get as frappe_client_get
from frappe.desk import listview, notifications, search
from frappe.desk.doctype.dashboard_chart import dashboard_chart
from frappe.desk.doctype.kanban_board import kanban_board
from frappe.desk.doctype.tag import tag
from frappe.desk.form import document_follow
from frappe.desk.form import utils as form_utils
from frappe.utils import cint, global_search, goal
from frappe.workflow.doctype.workflow import workflow

from crm_app.compat import aggregate

ORIGINALS = {
	"get_group_by_count": listview.get_group_by_count,
	"search_link": search.search_link,
	"search_widget": search.search_widget,
	"get_link_title": search.get_link_title,
	"global_search": global_search.search,
	"get_workflow_state_count": workflow.get_workflow_state_count,
	"get_tagged_docs": tag.get_tagged_docs,
	"get_open_count": notifications.get_open_count,
	"dashboard_chart": dashboard_chart.get,
	"goal_graph": goal.get_monthly_goal_graph_data,
	"get_next": form_utils.get_next,
	"client_get": frappe_client_get,
	"update_order": kanban_board.update_order,
	"follow_document": document_follow.follow_document,
	"update_follow": document_follow.update_follow,
}


def _original(key: str):
	"""Frappe's function under its decorators (whitelist, read_only, http_cache, cache_source):
	the wrapper is the whitelisted entry now."""
	fn = ORIGINALS[key]
	return inspect.unwrap(fn)


def _call(key: str, *, unwrap: bool = True, **kwargs):
	"""Call Frappe's function with the arguments it takes (the request may carry others, and
	Frappe 15 and 16 differ in a few keyword-only ones); `unwrap=False` keeps its decorators
	(a shared cache)."""
	fn = _original(key) if unwrap else ORIGINALS[key]
	params = inspect.signature(fn).parameters
	if not any(p.kind is p.VAR_KEYWORD for p in params.values()):
		kwargs = {k: v for k, v in kwargs.items() if k in params}
	return fn(**kwargs)


def has_row_rule(doctype: str | None) -> bool:
	"""Does any installed app restrict the rows of `doctype` for some users?"""
	return bool(doctype) and bool(frappe.get_hooks("permission_query_conditions", {}).get(doctype))


def restricted(doctype: str | None, user: str | None = None) -> bool:
	"""Does a row rule of `doctype` narrow what `user` (the session user) may see?"""
	if not has_row_rule(doctype):
		return False
	user = user or frappe.session.user
	for method in frappe.get_hooks("permission_query_conditions", {}).get(doctype, []):
		if frappe.call(frappe.get_attr(method), user, doctype=doctype):
			return True
	return False


def _visible(doctype: str, names) -> set[str]:
	names = [n for n in names if n]
	if not names:
		return set()
	return set(frappe.get_list(doctype, filters={"name": ("in", names)}, pluck="name", limit_page_length=0))


def _refuse():
	frappe.throw(_("Not permitted"), frappe.PermissionError)


@frappe.whitelist()
def get_group_by_count(doctype: str, current_filters: str, field: str) -> list[dict]:
	"""The list sidebar's counts (`frappe.desk.listview.get_group_by_count`): [{"name":
	value, "count": n}], at most 50, largest first. Frappe 15 counts "Assigned To" over every
	row matching the filters, whatever the user may see (a count that tells a hidden deal's
	amount through a filter on it); here, for a DocType with a row rule, "Assigned To" is
	counted from the rows `frappe.get_list` gives the user (their `_assign`, the open
	assignments Frappe keeps on each row), on Frappe 15 and 16 alike. Other fields and
	DocTypes: Frappe's function as it is."""
	if field != "assigned_to" or not has_row_rule(doctype):
		return _call("get_group_by_count", doctype=doctype, current_filters=current_filters, field=field)
	frappe.has_permission(doctype, "read", throw=True)
	groups = frappe.get_list(
		doctype,
		filters=frappe.parse_json(current_filters) or [],
		fields=["_assign", aggregate("count", "*", "count")],
		group_by="_assign",
		order_by="",
		limit_page_length=0,
	)
	counts: dict[str, int] = {}
	for group in groups:
		for user in set(frappe.parse_json(group._assign or "[]") or []):
			counts[user] = counts.get(user, 0) + group.count
	system_users = set(
		frappe.get_all(
			"User", filters={"name": ("in", list(counts)), "user_type": "System User"}, pluck="name"
		)
	)
	rows = sorted(((u, n) for u, n in counts.items() if u in system_users), key=lambda r: (-r[1], r[0]))
	return [frappe._dict(name=user, count=count) for user, count in rows[:50]]


@frappe.whitelist()
def search_link(doctype: str, txt: str, **kwargs):
	"""Link search (`frappe.desk.search.search_link`). Frappe 15 reads "ignore user
	permissions" as "ignore every permission": for a DocType with a row rule it is not taken
	(the rule always holds)."""
	if has_row_rule(doctype):
		kwargs["ignore_user_permissions"] = False
	return _call("search_link", doctype=doctype, txt=txt, **kwargs)


@frappe.whitelist()
def search_widget(doctype: str, txt: str, **kwargs):
	"""`frappe.desk.search.search_widget`, with the row rule as in `search_link`."""
	if has_row_rule(doctype):
		kwargs["ignore_user_permissions"] = False
	return _call("search_widget", doctype=doctype, txt=txt, **kwargs)


@frappe.whitelist()
def get_link_title(doctype: str, docname: str):
	"""A link's title (`frappe.desk.search.get_link_title`): for a row the user may not
	see, its name only (Frappe reads the title without asking)."""
	if restricted(doctype) and not _visible(doctype, [docname]):
		return docname
	return _call("get_link_title", doctype=doctype, docname=docname)


@frappe.whitelist()
def global_search(text, start=0, limit=20, doctype=""):
	"""The awesome bar's full-text search (`frappe.utils.global_search.search`): rows of a
	DocType with a row rule are shown only where the user may read them (Frappe 15 shows
	any indexed row of a readable DocType)."""
	results = _call("global_search", text=text, start=start, limit=limit, doctype=doctype)
	ruled = {r.get("doctype") for r in results if restricted(r.get("doctype"))}
	if not ruled:
		return results
	allowed = {
		(dt, n)
		for dt in ruled
		for n in _visible(dt, [r.get("name") for r in results if r.get("doctype") == dt])
	}
	return [
		r for r in results if r.get("doctype") not in ruled or (r.get("doctype"), r.get("name")) in allowed
	]


@frappe.whitelist()
def get_workflow_state_count(doctype, workflow_state_field, states):
	"""Counts per workflow state (`frappe.workflow.doctype.workflow.workflow.
	get_workflow_state_count`), for a DocType with a row rule counted from the rows the user
	may see and only by the workflow's own state field (Frappe counts any column of every
	row)."""
	if not has_row_rule(doctype):
		return _call(
			"get_workflow_state_count",
			doctype=doctype,
			workflow_state_field=workflow_state_field,
			states=states,
		)
	from frappe.model.workflow import get_workflow_name

	frappe.has_permission(doctype, "read", throw=True)
	name = get_workflow_name(doctype)
	if not name or workflow_state_field != frappe.get_cached_value("Workflow", name, "workflow_state_field"):
		return []
	rows = frappe.get_list(
		doctype,
		fields=[workflow_state_field, aggregate("count", "*", "count")],
		filters={workflow_state_field: ("not in", frappe.parse_json(states) or [""])},
		group_by=workflow_state_field,
		order_by="",
		limit_page_length=0,
	)
	return [r for r in rows if r.get(workflow_state_field)]


@frappe.whitelist()
def get_tagged_docs(doctype, tag):
	"""Rows with a tag (`frappe.desk.doctype.tag.tag.get_tagged_docs`), as [[name]]; for a
	DocType with a row rule only those the user may see."""
	if not has_row_rule(doctype):
		return _call("get_tagged_docs", doctype=doctype, tag=tag)
	frappe.has_permission(doctype, throw=True)
	return frappe.get_list(doctype, filters=[["_user_tags", "like", tag]], as_list=True, limit_page_length=0)


@frappe.whitelist()
def get_open_count(doctype: str, name: str, items=None):
	"""The form's connection counts (`frappe.desk.notifications.get_open_count`): linked
	rows of a DocType with a row rule are counted from what the user may see (a Client
	Company's form shows the user's own deals, not everyone's)."""
	frappe_count = notifications.get_doc_count

	def count(linked_doctype, filters):
		if not restricted(linked_doctype):
			return frappe_count(linked_doctype, filters)
		return len(frappe.get_list(linked_doctype, filters=filters, limit_page_length=100, distinct=True))

	notifications.get_doc_count = count
	try:
		return _call("get_open_count", doctype=doctype, name=name, items=items)
	finally:
		notifications.get_doc_count = frappe_count


@frappe.whitelist()
def dashboard_chart_get(chart_name=None, chart=None, **kwargs):
	"""A dashboard chart's data (`frappe.desk.doctype.dashboard_chart.dashboard_chart.get`).
	Frappe 15 draws a Heatmap of any DocType from every row: refused for a DocType whose row
	rule restricts the user."""
	chart_doc = frappe.parse_json(chart) if chart else None
	if chart_doc is None and chart_name:
		chart_doc = frappe.db.get_value(
			"Dashboard Chart", chart_name, ["type", "document_type", "chart_type"], as_dict=True
		)
	ruled = bool(chart_doc) and restricted(chart_doc.get("document_type"))
	if ruled and chart_doc.get("type") == "Heatmap":
		_refuse()
	# Frappe caches a chart's data per chart, for whoever asks next: a user a row rule
	# restricts gets theirs computed, never a cached copy of a manager's
	return _call("dashboard_chart", unwrap=ruled, chart_name=chart_name, chart=chart, **kwargs)


@frappe.whitelist()
def get_monthly_goal_graph_data(**kwargs):
	"""`frappe.utils.goal.get_monthly_goal_graph_data` sums any DocType's rows on Frappe 15:
	refused for a goal DocType whose row rule restricts the user."""
	if restricted(kwargs.get("goal_doctype")):
		_refuse()
	return _call("goal_graph", **kwargs)


@frappe.whitelist()
def get_next(doctype, value, prev, filters=None, sort_order="desc", **kwargs):
	"""The form's previous / next (`frappe.desk.form.utils.get_next`): only from a row the
	user may read (Frappe compares the given row's sort value without asking)."""
	if has_row_rule(doctype):
		frappe.has_permission(doctype, "read", value, throw=True)
	return _call(
		"get_next", doctype=doctype, value=value, prev=prev, filters=filters, sort_order=sort_order, **kwargs
	)


@frappe.whitelist()
def client_get(doctype, name=None, filters=None, parent=None):
	"""`frappe.client.get`. By `filters`, a DocType with a row rule answers from the rows the
	user may see ("not found" otherwise), so that 403 against 404 tells nothing of a hidden
	row."""
	if not name and filters and has_row_rule(doctype):
		found = frappe.get_list(
			doctype, filters=frappe.parse_json(filters), pluck="name", limit_page_length=1
		)
		if not found:
			raise frappe.DoesNotExistError(_("{0} not found").format(_(doctype)))
		name = found[0]
	return _call("client_get", doctype=doctype, name=name, filters=None if name else filters, parent=parent)


@frappe.whitelist()
def update_order(board_name, order):
	"""A Kanban board's card order (`frappe.desk.doctype.kanban_board.kanban_board.
	update_order`): for a DocType with a row rule, every card must be one the user may
	change (Frappe reads a hidden card's column before its save refuses)."""
	doctype = frappe.db.get_value("Kanban Board", board_name, "reference_doctype")
	if restricted(doctype):
		cards = [card for column in (json.loads(order) or {}).values() for card in column]
		if len(_visible(doctype, cards)) != len(set(cards)):
			_refuse()
	return _call("update_order", board_name=board_name, order=order)


@frappe.whitelist()
def follow_document(doctype, doc_name, user):
	"""`frappe.desk.form.document_follow.follow_document`: only a row the user may read (the
	follow digest mails its changes)."""
	if has_row_rule(doctype):
		frappe.has_permission(doctype, "read", doc_name, user=user, throw=True)
	return _call("follow_document", doctype=doctype, doc_name=doc_name, user=user)


@frappe.whitelist()
def update_follow(doctype: str, doc_name: str, following: bool):
	"""`frappe.desk.form.document_follow.update_follow`, with the check of `follow_document`."""
	if has_row_rule(doctype) and cint(following):
		frappe.has_permission(doctype, "read", doc_name, throw=True)
	return _call("update_follow", doctype=doctype, doc_name=doc_name, following=following)


def guard_requests():
	"""auth hook (runs on every request once its user is known), for the REST routes
	`override_whitelisted_methods` does not reach:

	- `expand_links` (Frappe's v1 `GET /api/resource/<doctype>/<name>?expand_links=1`) loads
	  every linked row without asking: dropped for a user any row rule restricts;
	- a field of a linked row ("deal.grand_total" in `fields`, Frappe 15's link columns in
	  get_list, report view and `/api/resource` lists) whose DocType's rule restricts the
	  user: refused."""
	form = frappe.local.form_dict
	if not form or frappe.session.user in ("Administrator", "Guest"):
		return
	if form.get("expand_links") and any(restricted(dt) for dt in _ruled_doctypes()):
		form.pop("expand_links", None)
	fields = form.get("fields")
	if not fields:
		return
	doctype = form.get("doctype") or _resource_doctype()
	if not doctype or not frappe.db.exists("DocType", doctype):
		return
	try:
		fields = frappe.parse_json(fields)
	except Exception:
		return
	meta = frappe.get_meta(doctype)
	for field in fields if isinstance(fields, list) else [fields]:
		if not isinstance(field, str) or "." not in field:
			continue
		link = field.split(".", 1)[0].strip("` ").lower()
		df = meta.get_field(link)
		if df and df.fieldtype == "Link" and restricted(df.options):
			_refuse()


def _ruled_doctypes() -> list[str]:
	return list(frappe.get_hooks("permission_query_conditions", {}))


def _resource_doctype() -> str | None:
	"""The DocType of a REST route: /api/resource/<doctype>…, /api/v2/document/<doctype>…"""
	from urllib.parse import unquote

	request = getattr(frappe.local, "request", None)
	parts = request.path.strip("/").split("/") if request else []
	for marker in ("resource", "document"):
		if marker in parts[:3] and len(parts) > parts.index(marker) + 1:
			return unquote(parts[parts.index(marker) + 1])
	return None
