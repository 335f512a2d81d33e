"""Runs the UI scenarios against one site: `python run.py SITE BASE_URL OUT_DIR`.

Sets the site up through REST as Administrator (this run's users and catalog items,
CRM App Settings as the scenarios need them, restored at the end), runs every
scenario in its own browser sessions, keeps a screenshot of every page open when a
scenario fails, and ends with `UI layer on <site>: N passed, M failed`.
"""

import argparse
import os
import pwd
import secrets
import subprocess
import sys
import time
import traceback
from pathlib import Path

from playwright.sync_api import expect, sync_playwright
from rest import Rest
from scenarios import DEMO_SCENARIOS, SCENARIOS, Skip, User, World

CHROMIUM_ARGS = [
	"--headless",
	"--no-sandbox",
	"--disable-gpu",
	"--disable-quic",
	"--no-first-run",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
]

SELLER = {
	"seller_legal_name": "LLC Wind Power Rus",
	"seller_inn": "7707083893",
	"seller_kpp": "773601001",
	"seller_bik": "044525225",
	"seller_bank_name": "PJSC Sberbank",
	"seller_correspondent_account": "30101810400000000225",
	"seller_settlement_account": "40702810938000000001",
}

USERS = {
	# role in the scenarios: (first name, roles, language)
	"sales": ("UI Sales", ["Sales User"], "en"),
	"board": ("UI Board", ["Sales User"], "en"),
	"funnel": ("UI Funnel", ["Sales User"], "en"),
	"russian": ("UI Russian", ["Sales User"], "ru"),
	"manager": ("UI Manager", ["Sales Manager", "Sales User"], "en"),
	"accounts": ("UI Accounts", ["Accounts User"], "en"),
}


def bench_script(site: str, script: str):
	"""A helper script beside this file, run with the local bench's Python (CRM_APP_BENCH) as
	the bench's owner: a callable taking the script's arguments after the site, or None when
	the site is not on a bench of this machine."""
	bench = Path(os.environ.get("CRM_APP_BENCH", "/home/frappe/frappe-bench"))
	if not (bench / "sites" / site).is_dir():
		return None
	helper = Path(__file__).with_name(script)
	owner = bench.stat().st_uid

	def run(*args: str):
		command = ["../env/bin/python", str(helper), site, *args]
		if os.getuid() != owner:
			command = ["runuser", "-u", pwd.getpwuid(owner).pw_name, "--", *command]
		subprocess.run(command, cwd=bench / "sites", check=True, capture_output=True, text=True)

	return run


def settings_for_run(rest: Rest, erpnext: bool) -> dict:
	"""What the scenarios need of CRM App Settings."""
	values = {"own_deals_only": 1, **SELLER}
	if erpnext:
		current = rest.settings()
		company = current.get("erpnext_company") or rest.get_list("Company", limit=1)[0]["name"]
		vat = current.get("vat_account") or next(
			iter(
				rest.get_list(
					"Account", filters={"company": company, "account_type": "Tax", "is_group": 0}, limit=1
				)
			),
			{},
		).get("name")
		assert vat, f"no Account of type Tax in {company}: make one for the VAT Account setting"
		values.update(erpnext_enabled=1, erpnext_company=company, vat_account=vat, submit_invoices=1)
	return values


def make_data(rest: Rest, suffix: str, erpnext: bool) -> tuple[dict, dict]:
	"""This run's users (kept from run to run, fresh passwords) and catalog items."""
	users = {}
	for role, (first_name, roles, language) in USERS.items():
		if role == "accounts" and not erpnext:
			continue
		email = f"ui-{role}@example.com"
		users[role] = User(email, rest.ensure_user(email, roles, first_name, language))
		if role in ("board", "funnel", "russian"):
			# their earlier runs' deals (no ledger documents) would only crowd the board
			for deal in rest.get_list("Deal", filters={"responsible": email}):
				rest.delete("Deal", deal["name"])
	items = {
		"product": rest.insert(
			{
				"doctype": "Catalog Item",
				"item_code": f"UI-PUMP-{suffix}",
				"item_name": f"UI Pump {suffix}",
				"item_type": "Product",
				"standard_rate": 1250.5,
				"vat_rate": 20,
			}
		),
		"service": rest.insert(
			{
				"doctype": "Catalog Item",
				"item_code": f"UI-SETUP-{suffix}",
				"item_name": f"UI Setup {suffix}",
				"item_type": "Service",
				"standard_rate": 300,
				"vat_rate": 10,
			}
		),
	}
	return users, items


def screenshot_all(world: World, out: Path, slug: str) -> list[str]:
	shots = []
	for i, desk in enumerate(world.desks):
		path = out / f"{slug}-{i + 1}-{desk.user.split('@')[0]}.png"
		try:
			desk.page.screenshot(path=str(path), full_page=True)
			shots.append(str(path))
		except Exception as e:
			shots.append(f"{path} (no screenshot: {e})")
		if desk.console_errors:
			(out / f"{slug}-{i + 1}-page-errors.txt").write_text("\n".join(desk.console_errors))
	return shots


def run_one(world: World, title: str, scenario, out: Path) -> bool | None:
	"""Run one scenario and report it: True passed, False failed, None skipped."""
	t0 = time.monotonic()
	try:
		scenario(world)
	except Skip as e:
		print(f"SKIP  {title}: {e} (not counted)")
		return None
	except Exception as e:
		shots = screenshot_all(world, out, title.split(" ")[0] + "-" + scenario.__name__)
		print(f"FAIL  {title} ({time.monotonic() - t0:.1f}s)")
		for line in (str(e) or type(e).__name__).splitlines()[:12]:
			print(f"      {line}")
		where = traceback.extract_tb(e.__traceback__)
		frames = [f for f in where if f.filename.endswith("scenarios.py") and f.name != "done"]
		if frames:
			print(f"      at scenarios.py:{frames[-1].lineno}: {frames[-1].line}")
		for shot in shots:
			print(f"      screenshot {shot}")
		return False
	else:
		print(f"PASS  {title} ({time.monotonic() - t0:.1f}s)")
		return True
	finally:
		for note in world.notes:
			print(f"      note: {note}")
		for desk in world.desks:
			desk.close()


def run_scenarios(rest: Rest, browser, args, out: Path, erpnext: bool, suffix: str) -> tuple[int, int]:
	"""The scenarios on a test site: its settings as the scenarios need them (restored at the
	end), this run's users and catalog items. Returns (passed, failed)."""
	passed, failed = 0, 0
	wanted = settings_for_run(rest, erpnext)
	before = rest.settings()
	restore = {key: before.get(key) for key in wanted}
	try:
		rest.set_settings(wanted)
		users, items = make_data(rest, suffix, erpnext)
		for title, scenario in SCENARIOS:
			if args.only and args.only not in title:
				continue
			# the settings again: anything else running on the site (bench tests) may change them
			rest.set_settings(wanted)
			world = World(rest, browser, args.base_url, args.site, suffix, erpnext, users, items)
			world.seed = bench_script(args.site, "bench_seed.py")
			ok = run_one(world, title, scenario, out)
			if ok is not None:
				passed, failed = passed + ok, failed + (not ok)
	finally:
		rest.set_settings(restore)
	return passed, failed


def main() -> int:
	parser = argparse.ArgumentParser()
	parser.add_argument("site")
	parser.add_argument("base_url")
	parser.add_argument("out")
	parser.add_argument("-k", dest="only", help="run the scenarios whose title contains this")
	args = parser.parse_args()
	expect.set_options(timeout=20_000)
	out = Path(args.out)
	out.mkdir(parents=True, exist_ok=True)
	passed, failed = 0, 0
	started = time.monotonic()
	with sync_playwright() as p:
		rest = Rest(p, args.base_url, pwd=os.environ.get("CRM_APP_UI_ADMIN_PASSWORD", "admin"))
		rest.make_bare_user = bench_script(args.site, "bench_user.py")
		erpnext = "erpnext" in rest.installed_apps()
		suffix = secrets.token_hex(3)
		print(f"== {args.site} at {args.base_url}: ERPNext {'yes' if erpnext else 'no'}, run {suffix}")
		browser = p.chromium.launch(
			executable_path=os.environ.get("CRM_APP_UI_CHROMIUM", "/usr/bin/chromium"),
			args=CHROMIUM_ARGS,
			headless=True,
		)
		try:
			if os.environ.get("CRM_APP_UI_DEMO") == "1":
				# the demo year as `crm-app quickstart --demo` left it: nothing set up or changed
				for title, scenario in DEMO_SCENARIOS:
					world = World(rest, browser, args.base_url, args.site, suffix, erpnext, {}, {})
					ok = run_one(world, title, scenario, out)
					if ok is not None:
						passed, failed = passed + ok, failed + (not ok)
			else:
				passed, failed = run_scenarios(rest, browser, args, out, erpnext, suffix)
		finally:
			browser.close()
			rest.close()
	print(f"== {time.monotonic() - started:.0f}s; screenshots of failures in {out}")
	print(f"UI layer on {args.site}: {passed} passed, {failed} failed")
	return 1 if failed else 0


if __name__ == "__main__":
	sys.exit(main())
