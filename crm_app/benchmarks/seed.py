"""Bulk seeding for the benchmark: the rows the app itself would write for a deal
(the deal, three lines, the stage history and the funnel facts computed by the
same function the app uses), written with frappe.db.bulk_insert in chunks, never
row by row through the ORM. Every seeded name starts with BENCH- so that
`cleanup` finds them.

Deterministic: the same size gives the same rows (random.Random(size-independent
seed per deal number)).
"""

import random
from datetime import timedelta

import frappe
from frappe.utils import add_days, flt, get_datetime, getdate, now_datetime

from crm_app.analytics.probability import DEFAULTS as DEFAULT_PROBABILITIES
from crm_app.pipeline.facts import funnel_facts
from crm_app.pipeline.setup import LOST_REASONS, ensure_lost_reasons

PREFIX = "BENCH-"
SALES_USERS = [f"bench-sales-{i}@example.com" for i in range(10)]
RESTRICTED_USER = SALES_USERS[0]
ITEMS = (("BENCH-ITEM-1", 100.0), ("BENCH-ITEM-2", 250.0), ("BENCH-ITEM-3", 1000.0))
DEALS_PER_COMPANY = 10
CHUNK = 5000
SPAN_DAYS = 365

# (share, path) of the seeded deals' stage paths
PATHS = (
	(35, ("Request Received",)),
	(25, ("Request Received", "Negotiation")),
	(10, ("Request Received", "Negotiation", "Invoice Issued")),
	(5, ("Request Received", "Negotiation", "Invoice Issued", "Invoice Paid")),
	(10, ("Request Received", "Negotiation", "Invoice Issued", "Invoice Paid", "Goods Shipped")),
	(7, ("Request Received", "Lost")),
	(8, ("Request Received", "Negotiation", "Lost")),
)


def period() -> tuple:
	"""The seeded creation dates: the last SPAN_DAYS days."""
	end = now_datetime().replace(microsecond=0) - timedelta(days=1)
	return end - timedelta(days=SPAN_DAYS), end


def ensure_users():
	from crm_app.tests.utils import make_user

	for user in SALES_USERS:
		make_user(user, ["Sales User"])


def ensure_record(doctype: str, name: str, values: dict):
	"""Insert the record `name` of `doctype` unless it exists (the benchmark's masters)."""
	if not frappe.db.exists(doctype, name):
		frappe.get_doc({"doctype": doctype, **values}).insert(ignore_permissions=True)


def ensure_catalog():
	for code, rate in ITEMS:
		ensure_record(
			"Catalog Item",
			code,
			{
				"item_code": code,
				"item_name": code.title(),
				"item_type": "Product",
				"uom": "Nos",
				"standard_rate": rate,
				"vat_rate": 20,
			},
		)


def _path(rng: random.Random) -> tuple:
	pick = rng.uniform(0, 100)
	for share, path in PATHS:
		if pick < share:
			return path
		pick -= share
	return PATHS[0][1]


def count(doctype: str) -> int:
	return frappe.db.count(doctype, {"name": ("like", f"{PREFIX}%")})


def seed_companies(total: int):
	have = count("Client Company")
	if have >= total:
		return
	start, _end = period()
	fields = ["name", "creation", "modified", "owner", "modified_by", "docstatus", "idx"]
	fields += ["naming_series", "company_name", "entity_type", "email"]
	rows = []
	for i in range(have, total):
		rows.append(
			(
				f"{PREFIX}CLC-{i:08d}",
				start,
				start,
				"Administrator",
				"Administrator",
				0,
				0,
				"CLC-.#####",
				f"Bench Client {i}",
				"Legal Entity",
				f"client-{i}@bench.example.com",
			)
		)
	frappe.db.bulk_insert("Client Company", fields, rows, chunk_size=CHUNK)


def deal_rows(i: int, currency: str):
	"""The deal number i as rows of tabDeal, tabDeal Item and tabDeal Stage Log."""
	rng = random.Random(i)
	start, _end = period()
	created = start + timedelta(seconds=rng.randrange(SPAN_DAYS * 86400 - 30 * 86400))
	responsible = SALES_USERS[i % len(SALES_USERS)]
	name = f"{PREFIX}DEAL-{i:08d}"

	items, net, vat = [], 0.0, 0.0
	for idx, (code, rate) in enumerate(ITEMS, start=1):
		qty = rng.randint(1, 5)
		amount = qty * rate
		vat_amount = flt(amount * 0.2, 2)
		net += amount
		vat += vat_amount
		items.append(
			(
				f"{name}-I{idx}",
				created,
				created,
				responsible,
				responsible,
				0,
				idx,
				name,
				"Deal",
				"items",
				code,
				code.title(),
				qty,
				"Nos",
				rate,
				20,
				amount,
				vat_amount,
			)
		)

	path = _path(rng)
	history, changed, previous = [], created, None
	for idx, stage in enumerate(path, start=1):
		seconds = 0  # as the app stores the first row's empty value (an Int column)
		if previous:
			seconds = rng.randrange(3600, 20 * 86400)
			changed = changed + timedelta(seconds=seconds)
		history.append(
			(
				f"{name}-H{idx}",
				changed,
				changed,
				responsible,
				responsible,
				0,
				idx,
				name,
				"Deal",
				"stage_history",
				previous,
				stage,
				changed,
				responsible,
				seconds,
			)
		)
		previous = stage

	facts = funnel_facts((h[10], h[11], h[14], h[12]) for h in history).as_fields()
	grand_total = flt(net + vat, 2)
	probability = DEFAULT_PROBABILITIES.get(path[-1], 0)
	# most deals carry an expected close date, a month or a few after they were opened
	close = None if rng.random() < 0.1 else (created + timedelta(days=rng.randrange(10, 150))).date()
	deal = {
		"name": name,
		"creation": created,
		"modified": changed,
		"owner": responsible,
		"modified_by": responsible,
		"docstatus": 0,
		"idx": 0,
		"naming_series": "DEAL-.YYYY.-.#####",
		"title": f"Bench deal {i}",
		"stage": path[-1],
		"client_company": f"{PREFIX}CLC-{i // DEALS_PER_COMPANY:08d}",
		"responsible": responsible,
		"source": "Phone",
		"currency": currency,
		"prices_include_vat": 0,
		"net_total": net,
		"vat_total": flt(vat, 2),
		"grand_total": grand_total,
		"probability": probability,
		"expected_amount": flt(grand_total * probability / 100, 2),
		"expected_close_date": close,
		"lost_reason": rng.choice(LOST_REASONS) if path[-1] == "Lost" else None,
		**facts,
	}
	return deal, items, history


CHILD_COLUMNS = [
	"name",
	"creation",
	"modified",
	"owner",
	"modified_by",
	"docstatus",
	"idx",
	"parent",
	"parenttype",
	"parentfield",
]
ITEM_FIELDS = [
	*CHILD_COLUMNS,
	"catalog_item",
	"item_name",
	"qty",
	"uom",
	"rate",
	"vat_rate",
	"amount",
	"vat_amount",
]
LOG_FIELDS = [*CHILD_COLUMNS, "from_stage", "stage", "changed_at", "changed_by", "seconds_in_previous_stage"]


def seed_deals(total: int, currency: str, progress=print):
	"""Deals BENCH-DEAL-00000000 … up to `total`, added to what is there."""
	have = count("Deal")
	if have >= total:
		return
	seed_companies((total + DEALS_PER_COMPANY - 1) // DEALS_PER_COMPANY)
	deal_fields = None
	for chunk_start in range(have, total, CHUNK):
		deals, items, logs = [], [], []
		for i in range(chunk_start, min(total, chunk_start + CHUNK)):
			deal, deal_items, history = deal_rows(i, currency)
			deals.append(deal)
			items += deal_items
			logs += history
		deal_fields = deal_fields or list(deals[0])
		frappe.db.bulk_insert("Deal", deal_fields, [tuple(d.values()) for d in deals], chunk_size=CHUNK)
		frappe.db.bulk_insert("Deal Item", ITEM_FIELDS, items, chunk_size=CHUNK * 3)
		frappe.db.bulk_insert("Deal Stage Log", LOG_FIELDS, logs, chunk_size=CHUNK * 5)
		frappe.db.commit()
		if (chunk_start // CHUNK) % 20 == 19:
			progress(f"  seeded {chunk_start + len(deals)} deals")


def seed_targets(currency: str):
	"""A quarterly Sales Target for every seeded sales user over the seeded year."""
	ensure_lost_reasons()
	start, end = period()
	for user in SALES_USERS:
		if frappe.db.exists("Sales Target", {"responsible": user, "currency": currency}):
			continue
		quarter = start.date().replace(day=1)
		while quarter <= end.date():
			next_quarter = (quarter + timedelta(days=95)).replace(day=1)
			frappe.get_doc(
				{
					"doctype": "Sales Target",
					"responsible": user,
					"currency": currency,
					"from_date": quarter,
					"to_date": next_quarter - timedelta(days=1),
					"target_amount": 500000,
				}
			).insert(ignore_permissions=True)
			quarter = next_quarter


def cleanup():
	"""Remove every seeded row (names starting with BENCH-), the seeded targets and the
	imported test records, then commit."""
	frappe.db.delete("Sales Target", {"responsible": ("in", SALES_USERS)})
	for doctype in ("Deal Item", "Deal Stage Log"):
		frappe.db.delete(doctype, {"parent": ("like", f"{PREFIX}%")})
	for doctype in ("Deal", "Client Company", "Client Contact", "Opportunity"):
		if frappe.db.table_exists(doctype):
			frappe.db.delete(doctype, {"name": ("like", f"{PREFIX}%")})
	frappe.db.delete("Client Contact", {"email": ("like", "%@bench-import.example.com")})
	frappe.db.delete("Client Company", {"email": ("like", "%@bench-import.example.com")})
	for name in frappe.get_all("Contact", filters={"first_name": "Bench import"}, pluck="name"):
		frappe.delete_doc("Contact", name, force=True, ignore_permissions=True)
	frappe.db.commit()
