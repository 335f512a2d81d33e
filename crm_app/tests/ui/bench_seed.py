"""Bulk-seeds the benchmark's deals (crm_app.benchmarks.seed: BENCH- names, lines and stage
history, ten sales users) on a site of the local bench, or removes them, for the UI scenarios
and the browser benchmark that need thousands of deals:
`cd <bench>/sites && ../env/bin/python bench_seed.py SITE COUNT|clean [crm]`.
With `crm`, Frappe CRM's deals are seeded to the same count too (crm_app.benchmarks.crm_seed)."""

import sys

import frappe


def main(site: str, what: str, *extra: str):
	frappe.init(site=site, sites_path=".")
	frappe.connect()
	try:
		frappe.local.conf.throttle_user_limit = 10**9  # this process only: the seed's users
		from crm_app.benchmarks import seed
		from crm_app.settings import default_currency

		if what == "clean":
			seed.cleanup()
			if "crm" in extra:
				from crm_app.benchmarks import crm_seed

				crm_seed.cleanup()
		else:
			seed.ensure_users()
			seed.ensure_catalog()
			seed.seed_deals(int(what), default_currency(), progress=lambda _message: None)
			if "crm" in extra:
				from crm_app.benchmarks import crm_seed

				crm_seed.seed_crm_deals(int(what))
		frappe.db.commit()
	finally:
		frappe.destroy()


if __name__ == "__main__":
	main(*sys.argv[1:])
