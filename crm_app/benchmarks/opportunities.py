"""ERPNext's side of the benchmark: opportunities seeded in bulk for ERPNext's Sales
Pipeline Analytics, and the masters an Opportunity insert needs. Used only where ERPNext is
installed; it reaches ERPNext through Frappe's records and report runner, never by import."""

import random
from datetime import timedelta

import frappe
from frappe.utils import add_days, getdate

from crm_app.benchmarks import seed

OPPORTUNITY_STAGES = (
	"Prospecting",
	"Qualification",
	"Needs Analysis",
	"Value Proposition",
	"Identifying Decision Makers",
	"Perception Analysis",
	"Proposal/Price Quote",
	"Negotiation/Review",
)


def ensure_opportunity_masters(company: str) -> str:
	"""A customer for the seeded opportunities."""
	customer = "BENCH Customer"
	if not frappe.db.exists("Customer", customer):
		frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": customer,
				"customer_type": "Company",
			}
		).insert(ignore_permissions=True)
	for stage in OPPORTUNITY_STAGES:
		if not frappe.db.exists("Sales Stage", stage):
			frappe.get_doc({"doctype": "Sales Stage", "stage_name": stage}).insert(ignore_permissions=True)
	return customer


def seed_opportunities(total: int, company: str, currency: str):
	"""ERPNext Opportunities with a sales stage, amount and expected closing date,
	as many as the deals, for Sales Pipeline Analytics."""
	have = seed.count("Opportunity")
	if have >= total:
		return
	customer = ensure_opportunity_masters(company)
	start, _end = seed.period()
	fields = ["name", "creation", "modified", "owner", "modified_by", "docstatus", "idx"]
	fields += ["naming_series", "title", "opportunity_from", "party_name", "customer_name", "status"]
	fields += ["sales_stage", "expected_closing", "company", "currency", "conversion_rate"]
	fields += ["opportunity_amount", "base_opportunity_amount", "transaction_date", "opportunity_owner"]
	for chunk_start in range(have, total, seed.CHUNK):
		rows = []
		for i in range(chunk_start, min(total, chunk_start + seed.CHUNK)):
			rng = random.Random(-i - 1)
			created = start + timedelta(seconds=rng.randrange(seed.SPAN_DAYS * 86400))
			amount = float(rng.randrange(100, 100000))
			owner = seed.SALES_USERS[i % len(seed.SALES_USERS)]
			rows.append(
				(
					f"{seed.PREFIX}OPP-{i:08d}",
					created,
					created,
					owner,
					owner,
					0,
					0,
					"CRM-OPP-.YYYY.-",
					customer,
					"Customer",
					customer,
					customer,
					"Open",
					OPPORTUNITY_STAGES[i % len(OPPORTUNITY_STAGES)],
					getdate(add_days(created, rng.randrange(0, 60))),
					company,
					currency,
					1,
					amount,
					amount,
					getdate(created),
					owner,
				)
			)
		frappe.db.bulk_insert("Opportunity", fields, rows, chunk_size=seed.CHUNK)
		frappe.db.commit()


def opportunity_setup(company: str) -> list[dict] | None:
	ensure_opportunity_masters(company)
	lines = []
	item_group = frappe.db.get_value("Item Group", {"is_group": 0}, "name")
	for code, rate in seed.ITEMS:
		seed.ensure_record(
			"Item",
			code,
			{
				"item_code": code,
				"item_name": code.title(),
				"item_group": item_group,
				"stock_uom": "Nos",
				"is_stock_item": 0,
			},
		)
		lines.append({"item_code": code, "qty": 2, "rate": rate, "uom": "Nos"})
	return lines


def run_pipeline_analytics():
	"""ERPNext's Sales Pipeline Analytics by sales stage, as its form opens it
	(monthly, by number), over the seeded period."""
	# The report's monthly view holds twelve months: the seeded year.
	start, _end = seed.period()
	report = frappe.get_doc("Report", "Sales Pipeline Analytics")
	return report.execute_module(
		{
			"pipeline_by": "Sales Stage",
			"from_date": getdate(start),
			"to_date": add_days(getdate(start), 364),
			"range": "Monthly",
			"based_on": "Number",
			"company": frappe.defaults.get_global_default("company"),
		}
	)
