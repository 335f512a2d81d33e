"""The benchmark under load: crm_app beside Frappe CRM, over HTTP, with 4 and 8 clients.

    python3 load.py SITE BASE_URL [--per-client 20] [--rounds 2]

The site has crm_app and Frappe CRM (`crm`) installed, ERPNext or not, and is served by one
gunicorn (the same for both apps). Each client is a keep-alive connection with its own user
(Sales Manager and Sales User, so that both apps let it do everything measured) and its own
API key (the concurrency layer's `Client`, loopback only). For 4 and then 8 clients at once,
and for each app in turn (crm_app, Frappe CRM, then again, `--rounds` times), every client:

- inserts `--per-client` deals with three lines (crm_app: Deal with three Catalog Items;
  Frappe CRM: CRM Deal with three CRM Products) — deals per second over the phase's wall time;
- moves each of them one stage on (crm_app: the Start Negotiation action, as the desk applies
  it; Frappe CRM: the status change its UI saves) — p50 / p95 of one change, in ms.

The best round of each app is kept (the fastest wall time; p50/p95 from that round). Prints a
table and, last, one JSON line with every figure. Nothing is deleted: run it on a throwaway
site.
"""

import argparse
import json
import secrets
import statistics
import sys
import threading
import time

from run import Client, World, at_once

ITEMS = (("LOAD-PUMP", 1250.0), ("LOAD-VALVE", 310.5), ("LOAD-SERVICE", 800.0))


def percentile(values: list[float], share: float) -> float:
	values = sorted(values)
	return values[min(len(values) - 1, int(len(values) * share))]


class Apps:
	"""What each app needs to insert a deal and move it one stage."""

	def __init__(self, world: World):
		self.world = world
		admin = world.admin
		self.company = world.company()
		self.items = []
		for code, rate in ITEMS:
			name = f"{code}-{world.suffix}"
			admin.insert(
				{
					"doctype": "Catalog Item",
					"item_code": name,
					"item_name": name,
					"item_type": "Service" if "SERVICE" in code else "Product",
					"standard_rate": rate,
				}
			)
			self.items.append(name)
		self.organization = admin.insert(
			{"doctype": "CRM Organization", "organization_name": f"Load {world.suffix}"}
		)["name"]
		self.products = []
		for code, rate in ITEMS:
			name = f"{code}-{world.suffix}"
			admin.insert(
				{"doctype": "CRM Product", "product_code": name, "product_name": name, "standard_rate": rate}
			)
			self.products.append({"product_code": name, "product_name": name, "rate": rate, "qty": 2})
		statuses = admin.get_list("CRM Deal Status", fields=["name", "position"])
		self.statuses = [s["name"] for s in sorted(statuses, key=lambda s: s.get("position") or 0)]

	def insert(self, app: str, client: Client) -> dict:
		if app == "crm_app":
			return client.insert(
				{
					"doctype": "Deal",
					"client_company": self.company,
					"items": [{"catalog_item": code, "qty": 2} for code in self.items],
				}
			)
		return client.insert(
			{
				"doctype": "CRM Deal",
				"organization": self.organization,
				"status": self.statuses[0],
				"products": [dict(p) for p in self.products],
			}
		)

	def move(self, app: str, client: Client, deal: dict):
		if app == "crm_app":
			status, payload = client.apply(deal, "Start Negotiation")
			if status != 200:
				raise AssertionError(f"Start Negotiation: HTTP {status} {json.dumps(payload)[:300]}")
			return
		client.ok("PUT", f"/api/resource/CRM Deal/{deal['name']}", {"status": self.statuses[1]})


def phase(apps: Apps, app: str, clients: list[Client], per_client: int) -> dict:
	"""Every client inserts its deals, then moves each one stage on; a request that fails
	(a 5xx: Frappe CRM's insert deadlocks under load) is counted, not retried."""
	inserted: list[list[dict]] = [[] for _ in clients]
	errors: list[str] = []
	lock = threading.Lock()

	def attempt(fn):
		try:
			return fn()
		except AssertionError as e:
			with lock:
				errors.append(str(e)[:160])
			return None

	def insert_all(i: int, client: Client):
		for _ in range(per_client):
			deal = attempt(lambda: apps.insert(app, client))
			if deal:
				inserted[i].append(deal)

	started = time.monotonic()
	at_once([lambda i=i, c=c: insert_all(i, c) for i, c in enumerate(clients)])
	wall = time.monotonic() - started
	insert_errors = len(errors)
	durations: list[float] = []

	def move_all(i: int, client: Client):
		for deal in inserted[i]:
			t0 = time.monotonic()
			if attempt(lambda d=deal: apps.move(app, client, d) or True):
				with lock:
					durations.append(time.monotonic() - t0)

	at_once([lambda i=i, c=c: move_all(i, c) for i, c in enumerate(clients)])
	made = sum(len(x) for x in inserted)
	return {
		"deals_per_s": made / wall,
		"insert_wall_s": wall,
		"insert_errors": insert_errors,
		"change_errors": len(errors) - insert_errors,
		"change_p50_ms": statistics.median(durations) * 1000 if durations else float("nan"),
		"change_p95_ms": percentile(durations, 0.95) * 1000 if durations else float("nan"),
		"first_error": errors[0] if errors else None,
	}


def main() -> int:
	parser = argparse.ArgumentParser()
	parser.add_argument("site")
	parser.add_argument("base_url")
	parser.add_argument("--per-client", type=int, default=20)
	parser.add_argument("--rounds", type=int, default=2)
	parser.add_argument("--clients", default="4,8")
	args = parser.parse_args()
	world = World(args.base_url.rstrip("/"), args.site)
	apps = Apps(world)
	results = {}
	for n in (int(c) for c in args.clients.split(",")):
		clients = [
			world.client(f"load-{i}-{secrets.token_hex(2)}@example.com", ["Sales Manager", "Sales User"])
			for i in range(n)
		]
		for client in clients:  # warm the connections and the workers
			client.ok("GET", "/api/method/ping")
		best: dict[str, dict] = {}
		for _ in range(args.rounds):
			for app in ("crm_app", "frappe_crm"):
				figures = phase(apps, app, clients, args.per_client)
				if app not in best or figures["insert_wall_s"] < best[app]["insert_wall_s"]:
					best[app] = figures
		results[n] = best
	print(f"== {args.site}: {args.per_client} deals per client, best of {args.rounds} rounds")
	print("| clients | measure | crm_app | Frappe CRM | ratio |")
	print("|---|---|---|---|---|")
	for n, best in results.items():
		ours, theirs = best["crm_app"], best["frappe_crm"]
		print(
			f"| {n} | deals created per second | {ours['deals_per_s']:.1f} | {theirs['deals_per_s']:.1f} | {theirs['deals_per_s'] / ours['deals_per_s']:.2f} |"
		)
		for key, label in (
			("change_p50_ms", "stage change p50, ms"),
			("change_p95_ms", "stage change p95, ms"),
		):
			print(f"| {n} | {label} | {ours[key]:.0f} | {theirs[key]:.0f} | {ours[key] / theirs[key]:.2f} |")
		failed = [f["insert_errors"] + f["change_errors"] for f in (ours, theirs)]
		print(f"| {n} | failed requests (5xx) | {failed[0]} | {failed[1]} | — |")
	print(
		json.dumps(
			{"site": args.site, "per_client": args.per_client, "rounds": args.rounds, "results": results}
		)
	)
	return 0


if __name__ == "__main__":
	sys.exit(main())
