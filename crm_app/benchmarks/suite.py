"""The benchmark suite: crm_app against ERPNext (and Frappe CRM when installed on
the same site), in the same run, as medians after warm-up and ratios.

Run on a throwaway site:
    bench --site <site> execute crm_app.benchmarks.run --kwargs "{'sizes': [10000, 100000, 1000000]}"

Per-document operations run inside a savepoint rolled back after timing, so they
leave nothing behind; the sizes are seeded with bulk inserts (see seed.py) and
removed at the end unless keep=True.
"""

import csv
import os
import platform
import resource
import tempfile
import time
import tracemalloc

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, getdate

from crm_app.benchmarks import Timer, median_ms, seed
from crm_app.settings import default_currency

LIST_FIELDS = [
	"name",
	"title",
	"stage",
	"client_company",
	"responsible",
	"grand_total",
	"currency",
	"modified",
]
CARD_FIELDS = ["name", "title", "stage", "client_company", "grand_total", "currency", "responsible"]


def indexes() -> dict:
	from crm_app.crm_app.doctype.deal.deal import FUNNEL_INDEX, FUNNEL_INDEX_COLUMNS

	return {
		"Deal": {
			"stage_creation_index": ["stage", "creation"],
			FUNNEL_INDEX: FUNNEL_INDEX_COLUMNS,
			"responsible_board_index": ["responsible", "stage", "currency", "grand_total"],
			"owner_board_index": ["owner", "stage", "currency", "grand_total", "responsible"],
		}
	}


def erpnext_benchmark():
	"""ERPNext's side of the comparison, imported only where ERPNext is installed."""
	from crm_app.benchmarks import opportunities as benchmark

	return benchmark


def has_app(app: str) -> bool:
	return app in frappe.get_installed_apps()


def timed(fn, runs: int, warmup: int, rollback: bool = True) -> list[float]:
	samples = []
	for i in range(warmup + runs):
		if rollback:
			frappe.db.savepoint("crm_bench")
		with Timer() as t:
			fn()
		if rollback:
			frappe.db.rollback(save_point="crm_bench")
		if i >= warmup:
			samples.append(t.seconds)
	return samples


def interleaved(fns: dict, runs: int, warmup: int) -> dict[str, float]:
	"""Medians (ms) of several operations run in turn, each rolled back, so that
	drift of the machine hits all alike."""
	samples = {key: [] for key in fns}
	for i in range(warmup + runs):
		for key, fn in fns.items():
			frappe.db.savepoint("crm_bench")
			with Timer() as t:
				fn()
			frappe.db.rollback(save_point="crm_bench")
			if i >= warmup:
				samples[key].append(t.seconds)
	return {key: median_ms(values) for key, values in samples.items()}


# --- per-document operations ---------------------------------------------------------------


def deal_doc(company: str, currency: str) -> dict:
	return {
		"doctype": "Deal",
		"client_company": company,
		"currency": currency,
		"items": [{"catalog_item": code, "qty": 2} for code, _rate in seed.ITEMS],
	}


def frappe_crm_setup() -> dict | None:
	"""Frappe CRM's organization, products and first two statuses, if installed."""
	if not has_app("crm"):
		return None
	seed.ensure_record("CRM Organization", "BENCH Organization", {"organization_name": "BENCH Organization"})
	products = []
	for code, rate in seed.ITEMS:
		values = {"product_code": code, "product_name": code.title()}
		seed.ensure_record("CRM Product", code, {**values, "standard_rate": rate})
		products.append({**values, "rate": rate, "qty": 2})
	statuses = frappe.get_all("CRM Deal Status", order_by="position asc", pluck="name")
	return {"products": products, "statuses": statuses}


def frappe_crm_deal(crm: dict) -> dict:
	return {
		"doctype": "CRM Deal",
		"organization": "BENCH Organization",
		"status": crm["statuses"][0],
		"products": [dict(p) for p in crm["products"]],
	}


def per_document(runs: int, warmup: int, out: list):
	currency = default_currency()
	company = frappe.db.get_value("Client Company", {"name": ("like", f"{seed.PREFIX}%")}, "name")
	ops = {"deal": lambda: frappe.get_doc(deal_doc(company, currency)).insert()}

	crm = frappe_crm_setup()
	if crm:
		ops["crm_deal"] = lambda: frappe.get_doc(frappe_crm_deal(crm)).insert()
	erp_company = frappe.defaults.get_global_default("company") if has_app("erpnext") else None
	lines = erpnext_benchmark().opportunity_setup(erp_company) if erp_company else None
	if lines:
		ops["opportunity"] = lambda: frappe.get_doc(
			{
				"doctype": "Opportunity",
				"opportunity_from": "Customer",
				"party_name": "BENCH Customer",
				"company": erp_company,
				"currency": frappe.get_cached_value("Company", erp_company, "default_currency"),
				"items": [dict(line) for line in lines],
			}
		).insert()
	medians = interleaved(ops, runs, warmup)
	insert_row = {"measure": "Deal insert with 3 lines", "ours_ms": medians["deal"]}
	for key, label in (
		("crm_deal", "Frappe CRM deal insert, 3 products"),
		("opportunity", "ERPNext Opportunity insert, 3 lines"),
	):
		if key in medians:
			out.append({**insert_row, "theirs": label, "theirs_ms": medians[key], "goal": 1.0})
	if len(medians) == 1:
		out.append({**insert_row, "theirs": "(no peer app installed)", "goal": None})

	stage_changes(runs, warmup, out, company, currency, crm)


def stage_changes(runs: int, warmup: int, out: list, company: str, currency: str, crm: dict | None):
	"""A deal's stage change without postings — the board's drag and the form's field (a
	save) and the Start Negotiation action (apply_workflow, which also adds the workflow
	comment to the timeline) — against Frappe CRM's status change save. Two variants: in a
	savepoint rolled back after each run, and committed (a fresh deal per run, made and
	committed outside the timing), since a commit runs the after-commit work too."""
	deal = frappe.get_doc(deal_doc(company, currency)).insert()
	frappe.db.commit()
	sent = deal.as_dict()

	def stage_save(name=deal.name):
		doc = frappe.get_doc("Deal", name)
		doc.stage = "Negotiation"
		doc.save()

	ops = {"save": stage_save, "action": lambda: apply_workflow(dict(sent), "Start Negotiation")}
	crm_deal = None
	if crm and len(crm["statuses"]) > 1:
		crm_deal = frappe.get_doc(frappe_crm_deal(crm)).insert()
		frappe.db.commit()

		def crm_status_change(name=crm_deal.name):
			doc = frappe.get_doc("CRM Deal", name)
			doc.status = crm["statuses"][1]
			doc.save()

		ops["crm_deal"] = crm_status_change
	medians = interleaved(ops, runs, warmup)
	committed = interleaved_committed(company, currency, crm if crm_deal else None, runs, warmup)
	theirs = "Frappe CRM status change save" if crm_deal else "(Frappe CRM not installed)"
	for variant, values in (("savepoint", medians), ("commit", committed)):
		for key, label in (("save", "by save (board, form)"), ("action", "by the Start Negotiation action")):
			out.append(
				{
					"measure": f"Stage change {label}, {variant}",
					"ours_ms": values[key],
					"theirs": theirs,
					"theirs_ms": values.get("crm_deal"),
					"goal": 1.0 if crm_deal else None,
				}
			)
	frappe.delete_doc("Deal", deal.name, force=True)
	if crm_deal:
		frappe.delete_doc("CRM Deal", crm_deal.name, force=True)
	frappe.db.commit()


def interleaved_committed(company: str, currency: str, crm: dict | None, runs: int, warmup: int) -> dict:
	"""Medians (ms) of stage changes each followed by a commit, in turn, on deals made
	(and committed) for the run outside the timing; the deals are deleted afterwards."""
	samples = {"save": [], "action": [], **({"crm_deal": []} if crm else {})}
	made = {"Deal": [], "CRM Deal": []}
	for i in range(warmup + runs):
		for key in samples:
			if key == "crm_deal":
				doc = frappe.get_doc(frappe_crm_deal(crm)).insert()
				made["CRM Deal"].append(doc.name)
			else:
				doc = frappe.get_doc(deal_doc(company, currency)).insert()
				made["Deal"].append(doc.name)
			frappe.db.commit()
			with Timer() as t:
				if key == "action":
					apply_workflow(doc.as_dict(), "Start Negotiation")
				else:
					doc = frappe.get_doc(doc.doctype, doc.name)
					doc.set(
						"status" if key == "crm_deal" else "stage",
						crm["statuses"][1] if key == "crm_deal" else "Negotiation",
					)
					doc.save()
				frappe.db.commit()
			if i >= warmup:
				samples[key].append(t.seconds)
	for doctype, names in made.items():
		for name in names:
			frappe.delete_doc(doctype, name, force=True)
	frappe.db.commit()
	return {key: median_ms(values) for key, values in samples.items()}


def issue_invoice(runs: int, warmup: int, out: list):
	if not has_app("erpnext"):
		out.append({"measure": "Issue Invoice transition", "theirs": "(ERPNext not installed)", "goal": None})
		return
	from crm_app.benchmarks import invoice

	result = invoice.run(runs=runs, warmup=warmup)
	out.append(
		{
			"measure": "Issue Invoice transition",
			"ours_ms": result["issue_invoice_ms"],
			"theirs": "bare Sales Invoice insert + submit",
			"theirs_ms": result["bare_sales_invoice_ms"],
			"goal": 1.15,
		}
	)


# --- at a size -------------------------------------------------------------------------------


def funnel_filters():
	start, end = seed.period()
	return {"from_date": getdate(start), "to_date": getdate(end)}


def run_funnel():
	from crm_app.crm_app.report.sales_funnel.sales_funnel import execute

	return execute(funnel_filters())


def deal_list():
	return frappe.get_list(
		"Deal",
		fields=LIST_FIELDS,
		filters={"stage": "Negotiation"},
		order_by="creation desc",
		limit_page_length=20,
	)


def board_data():
	"""What the board page asks the server when it opens (crm_app.pipeline.board.get_board:
	per column the first 20 cards and the counts and sums of every column). The browser's
	side is measured by crm_app/tests/ui/board_benchmark.py."""
	from crm_app.pipeline.board import get_board

	return get_board()


def as_user(user: str, fn):
	def wrapped():
		frappe.set_user(user)
		try:
			return fn()
		finally:
			frappe.set_user("Administrator")

	return wrapped


def drop_indexes():
	for doctype, names in indexes().items():
		for index in names:
			if frappe.db.has_index(f"tab{doctype}", index):
				frappe.db.sql_ddl(f"ALTER TABLE `tab{doctype}` DROP INDEX `{index}`")


def add_indexes():
	for doctype, names in indexes().items():
		for index, columns in names.items():
			frappe.db.add_index(doctype, columns, index)


def analytics_reports() -> dict:
	"""The three sales analytics reports over the seeded year, as a manager sees them."""
	from crm_app.crm_app.report.lost_deals_analysis.lost_deals_analysis import execute as lost
	from crm_app.crm_app.report.sales_forecast.sales_forecast import execute as forecast
	from crm_app.crm_app.report.sales_performance.sales_performance import execute as performance

	start, end = seed.period()
	year = {"from_date": start.date(), "to_date": end.date(), "currency": default_currency()}
	return {
		"Sales Forecast": lambda: forecast(dict(year)),
		"Sales Performance": lambda: performance(dict(year)),
		"Lost Deals Analysis": lambda: lost(dict(year)),
	}


def python_peak_mb(fn) -> float:
	tracemalloc.start()
	fn()
	_current, peak = tracemalloc.get_traced_memory()
	tracemalloc.stop()
	return round(peak / 2**20, 2)


def funnel_memory() -> dict:
	"""Peak Python allocation while the report runs, and the worker's peak RSS."""
	tracemalloc.start()
	run_funnel()
	_current, peak = tracemalloc.get_traced_memory()
	tracemalloc.stop()
	return {
		"python_peak_mb": round(peak / 2**20, 2),
		"process_max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
	}


def at_size(size: int, runs: int, warmup: int, out: list, notes: list, compare_indexes: bool = True):
	currency = default_currency()
	t0 = time.perf_counter()
	seed.seed_deals(size, currency)
	seed.seed_targets(currency)
	if has_app("erpnext"):
		erpnext_benchmark().seed_opportunities(size, frappe.defaults.get_global_default("company"), currency)
	notes.append(f"seeded {size} deals (and opportunities) in {time.perf_counter() - t0:.0f} s")
	frappe.db.sql("ANALYZE TABLE `tabDeal`, `tabDeal Stage Log`")
	restricted = as_user(seed.RESTRICTED_USER, deal_list)
	board = as_user(seed.RESTRICTED_USER, board_data)

	funnel_runs = max(3, runs // 4)

	def measure() -> dict:
		return {
			"funnel": median_ms(timed(run_funnel, funnel_runs, 1, rollback=False)),
			"list": median_ms(timed(restricted, runs, warmup, rollback=False)),
			"board": median_ms(timed(board, runs, warmup, rollback=False)),
		}

	before = {"funnel": "—", "list": "—", "board": "—"}
	if compare_indexes:
		drop_indexes()
		before = measure()
		add_indexes()
	after = measure()
	notes.append(
		f"@ {size:,} without the app's Deal indexes (list, funnel, board): "
		f"funnel {before['funnel']} ms, list {before['list']} ms, board {before['board']} ms; "
		f"with them: funnel {after['funnel']} ms, list {after['list']} ms, board {after['board']} ms"
	)

	row = {"measure": f"Sales Funnel report @ {size:,}", "ours_ms": after["funnel"], "goal": 1.0}
	if has_app("erpnext"):
		row["theirs"] = "ERPNext Sales Pipeline Analytics (by stage)"
		row["theirs_ms"] = median_ms(
			timed(erpnext_benchmark().run_pipeline_analytics, funnel_runs, 1, rollback=False)
		)
	else:
		row["theirs"] = "(ERPNext not installed)"
	out.append(row)
	for name, fn in analytics_reports().items():
		ours = median_ms(timed(fn, funnel_runs, 1, rollback=False))
		peak = python_peak_mb(fn)
		out.append({**row, "measure": f"{name} report @ {size:,}", "ours_ms": ours})
		notes.append(f"{name} @ {size:,}: Python peak {peak} MB")
	memory = funnel_memory()
	notes.append(
		f"funnel @ {size:,}: Python peak {memory['python_peak_mb']} MB, "
		f"worker max RSS {memory['process_max_rss_mb']} MB"
	)
	out.append(
		{
			"measure": f"Deal list, restricted Sales User, by stage, 20 rows @ {size:,}",
			"ours_ms": after["list"],
			"theirs": f"without the index: {before['list']} ms",
			"limit_ms": 50 if size == 100000 else None,
		}
	)
	out.append(
		{
			"measure": f"Deals by Stage board data @ {size:,}",
			"ours_ms": after["board"],
			"theirs": f"without the index: {before['board']} ms",
			"limit_ms": 100 if size == 100000 else None,
		}
	)


# --- Data Import -----------------------------------------------------------------------------


def import_rows(rows: int, out: list):
	"""Client Companies, then Client Contacts, through Frappe's Data Import (the
	same path as the desk: one Data Import record per file, run in this process),
	with the duplicate checks of both DocTypes on."""
	from frappe.core.doctype.data_import.data_import import start_import

	from crm_app.tests.utils import random_inn

	companies = [
		{"Company Name": f"Import Co {i}", "Entity Type": "Legal Entity", "INN": random_inn(),
		 "Email": f"co-{i}@bench-import.example.com"}
		for i in range(rows)
	]  # fmt: skip
	elapsed = {}
	elapsed["Client Company"] = _import("Client Company", companies, start_import)
	names = frappe.get_all(
		"Client Company",
		filters={"email": ("like", "%@bench-import.example.com")},
		fields=["name", "email"],
	)
	by_email = {c.email: c.name for c in names}
	contacts = [
		{"First Name": f"Person {i}", "Last Name": "Importov",
		 "Client Company": by_email.get(f"co-{i}@bench-import.example.com", ""),
		 "Email": f"person-{i}@bench-import.example.com",
		 "Phone": f"+7 916 {i // 10000 % 1000:03d}-{i // 100 % 100:02d}-{i % 100:02d}"}
		for i in range(rows)
	]  # fmt: skip
	elapsed["Client Contact"] = _import("Client Contact", contacts, start_import)
	total = sum(seconds for seconds, _imported in elapsed.values())
	imported = sum(n for _seconds, n in elapsed.values())
	# For scale: Frappe's own Contact (names only) through the same importer.
	people = [{"First Name": "Bench import", "Last Name": f"Person {i}"} for i in range(rows)]
	note_seconds, note_rows = _import("Contact", people, start_import, {"first_name": "Bench import"})
	out.append(
		{
			"measure": f"Data Import of {rows:,} Client Companies + {rows:,} Client Contacts",
			"ours_ms": round(total * 1000, 0),
			"theirs": "rows/s: "
			+ ", ".join(f"{dt} {n / s:.0f}" for dt, (s, n) in elapsed.items())
			+ f"; {imported} of {2 * rows} rows imported; Frappe's Contact through the same"
			+ f" importer: {note_rows / note_seconds:.0f} rows/s",
			"rows_per_s": round(imported / total, 1),
			"min_rows_per_s": 200,
		}
	)


def _import(doctype: str, rows: list[dict], start_import, created=None) -> tuple[float, int]:
	with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, newline="") as f:
		writer = csv.DictWriter(f, fieldnames=list(rows[0]))
		writer.writeheader()
		writer.writerows(rows)
		path = f.name
	with open(path, "rb") as f:
		file_doc = frappe.get_doc(
			{"doctype": "File", "file_name": os.path.basename(path), "is_private": 1, "content": f.read()}
		).insert(ignore_permissions=True)
	os.unlink(path)
	data_import = frappe.get_doc(
		{
			"doctype": "Data Import",
			"reference_doctype": doctype,
			"import_type": "Insert New Records",
			"import_file": file_doc.file_url,
		}
	).insert(ignore_permissions=True)
	frappe.db.commit()
	created = created or {"email": ("like", "%@bench-import.example.com")}
	before = frappe.db.count(doctype, created)
	with Timer() as t:
		start_import(data_import.name)
	imported = frappe.db.count(doctype, created) - before
	frappe.delete_doc("Data Import", data_import.name, force=True, ignore_permissions=True)
	frappe.db.commit()
	return t.seconds, imported


# --- the table -------------------------------------------------------------------------------


def verdict(row: dict) -> str:
	if row.get("goal") and row.get("theirs_ms"):
		ratio = row["ours_ms"] / row["theirs_ms"]
		row["ratio"] = round(ratio, 2)
		return "met" if ratio <= row["goal"] else f"MISSED by {100 * (ratio / row['goal'] - 1):.0f}%"
	if row.get("limit_ms") and row.get("ours_ms") is not None:
		return (
			"met"
			if row["ours_ms"] <= row["limit_ms"]
			else f"MISSED ({row['ours_ms']} > {row['limit_ms']} ms)"
		)
	if row.get("min_rows_per_s"):
		return "met" if row["rows_per_s"] >= row["min_rows_per_s"] else "MISSED"
	return ""


def goal_text(row: dict) -> str:
	if row.get("goal"):
		return f"ratio ≤ {row['goal']}"
	if row.get("limit_ms"):
		return f"≤ {row['limit_ms']} ms"
	if row.get("min_rows_per_s"):
		return f"≥ {row['min_rows_per_s']} rows/s ({row['rows_per_s']})"
	return "—"


def table(rows: list[dict]) -> str:
	lines = [
		"| measure | ours (ms) | compared with | theirs (ms) | ratio | goal | result |",
		"|---|---|---|---|---|---|---|",
	]
	for row in rows:
		result = verdict(row)
		lines.append(
			"| {} | {} | {} | {} | {} | {} | {} |".format(
				row["measure"],
				row.get("ours_ms", "—"),
				row.get("theirs", "—"),
				row.get("theirs_ms") or "—",
				row.get("ratio", "—"),
				goal_text(row),
				result,
			)
		)
	return "\n".join(lines)


def machine() -> str:
	version = frappe.db.sql("select version()")[0][0]
	apps = ", ".join(f"{a} {frappe.get_attr(a + '.__version__')}" for a in frappe.get_installed_apps())
	return (
		f"{platform.node()} · {os.cpu_count()} CPUs · {platform.python_version()} · MariaDB {version} · "
		f"{apps} · {frappe.utils.now_datetime():%Y-%m-%d}"
	)


def run(
	sizes: list[int] | None = None,
	runs: int = 20,
	warmup: int = 3,
	import_size: int = 10000,
	keep: bool = False,
	print_table: bool = True,
	compare_indexes: bool = True,
	parts: list[str] | None = None,
) -> dict:
	"""The whole suite (README, section Performance). `parts` picks some of "documents"
	(insert and stage change), "invoice", "sizes" and "import"; all by default."""
	parts = set(parts or ("documents", "invoice", "sizes", "import"))
	frappe.set_user("Administrator")
	sizes = sorted(sizes or [10000, 100000])
	frappe.flags.mute_emails = True
	# the list and the board are measured for a Sales User who sees only their own deals
	own_deals_only = frappe.db.get_single_value("CRM App Settings", "own_deals_only")
	frappe.db.set_single_value("CRM App Settings", "own_deals_only", 1)
	frappe.clear_document_cache("CRM App Settings", "CRM App Settings")
	seed.ensure_users()
	seed.ensure_catalog()
	seed.seed_companies(1)
	frappe.db.commit()
	rows, notes = [], []
	try:
		if "documents" in parts:
			per_document(runs, warmup, rows)
		if "invoice" in parts:
			issue_invoice(runs, warmup, rows)
		for size in sizes if "sizes" in parts else ():
			at_size(size, runs, warmup, rows, notes, compare_indexes)
		if import_size and "import" in parts:
			import_rows(import_size, rows)
	finally:
		if keep:
			notes.append("seeded rows kept (names start with BENCH-); drop the site when done")
		else:
			seed.cleanup()
			notes.append("seeded rows removed")
		frappe.db.set_single_value("CRM App Settings", "own_deals_only", own_deals_only)
		frappe.clear_document_cache("CRM App Settings", "CRM App Settings")
		frappe.db.commit()
	result = {"machine": machine(), "table": table(rows), "rows": rows, "notes": notes}
	if print_table:
		print(result["machine"])
		print(result["table"])
		for note in notes:
			print("-", note)
	return result
