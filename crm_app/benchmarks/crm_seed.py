"""Frappe CRM's deals, bulk-inserted for the browser benchmark of the boards: `count` CRM
Deals named BENCH-CRM-DEAL-…, spread over Frappe CRM's deal statuses and one organization,
with a deal value (Frappe CRM's kanban shows its cards and column counts from these). Only
on a site with Frappe CRM (`crm`); the benchmark's own deals are crm_app.benchmarks.seed."""

import random

import frappe
from frappe.utils import now_datetime

from crm_app.benchmarks.seed import CHUNK, PREFIX, ensure_record, period

ORGANIZATION = "BENCH Organization"


def seed_crm_deals(total: int):
	"""CRM Deals BENCH-CRM-DEAL-00000000 … up to `total`, added to what is there."""
	ensure_record("CRM Organization", ORGANIZATION, {"organization_name": ORGANIZATION})
	statuses = frappe.get_all("CRM Deal Status", order_by="position asc", pluck="name")
	have = frappe.db.count("CRM Deal", {"name": ("like", f"{PREFIX}CRM-%")})
	currency = frappe.db.get_default("currency") or "USD"
	start, _end = period()
	fields = ["name", "creation", "modified", "owner", "modified_by", "docstatus", "idx"]
	fields += ["naming_series", "organization", "status", "currency", "deal_value", "exchange_rate"]
	for chunk_start in range(have, total, CHUNK):
		rows = []
		for i in range(chunk_start, min(total, chunk_start + CHUNK)):
			rng = random.Random(i)
			created = start + (now_datetime() - start) * rng.random() * 0.9
			rows.append(
				(
					f"{PREFIX}CRM-DEAL-{i:08d}",
					created,
					created,
					"Administrator",
					"Administrator",
					0,
					0,
					"CRM-DEAL-.YYYY.-",
					ORGANIZATION,
					statuses[i % len(statuses)],
					currency,
					rng.randrange(1000, 100000),
					1,
				)
			)
		frappe.db.bulk_insert("CRM Deal", fields, rows, chunk_size=CHUNK)
		frappe.db.commit()


def cleanup():
	frappe.db.delete("CRM Deal", {"name": ("like", f"{PREFIX}CRM-%")})
	frappe.db.commit()
