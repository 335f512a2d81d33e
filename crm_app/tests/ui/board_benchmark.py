"""The boards as the user's browser loads them: Playwright and Debian's Chromium.

    python board_benchmark.py SITE BASE_URL [--sizes 100,10000,100000] [--runs 3] [--keep]

(with the UI layer's venv: `.venv-ui/bin/python`). The site must have crm_app and Frappe
CRM (`crm`) installed and be served at BASE_URL; the bench holding it must be on this
machine (CRM_APP_BENCH): the deals are bulk-seeded through it (bench_seed.py: crm_app's
benchmark deals, and as many CRM Deals), cumulatively, size after size, and removed at the
end unless --keep. Run it on a throwaway site: every deal there is counted.

For each size, as Administrator (who sees every deal), each page is opened `--runs` times in
a fresh tab and the medians kept:
- the Deal board (the list's Kanban view, which leads to the board page /app/deal-board);
- the Deal list (/app/deal);
- Frappe CRM's kanban of CRM Deals (/crm/deals/view/kanban).

Measured: the time from navigation to network idle (Playwright's: no request for 500 ms),
then how long the page takes to answer a script (a task queued after network idle: a page
still drawing thousands of cards answers late), and the DOM nodes. Prints a Markdown table
and, last, one JSON line.
"""

import argparse
import json
import os
import statistics
import sys
import time

from playwright.sync_api import sync_playwright
from run import CHROMIUM_ARGS, bench_script

PAGES = {
	"Deal board (crm_app)": "/app/deal/view/kanban/Deals by Stage",
	"Deal list (Frappe)": "/app/deal",
	"Frappe CRM kanban": "/crm/deals/view/kanban",
}
READY = {
	"Deal board (crm_app)": ".crm-column-total",
	"Deal list (Frappe)": ".list-row-container, .no-result",
	"Frappe CRM kanban": "body",
}


def measure(context, base_url: str, title: str, path: str) -> dict:
	page = context.new_page()
	try:
		started = time.monotonic()
		page.goto(base_url + path, wait_until="networkidle", timeout=600_000)
		page.wait_for_selector(READY[title], state="attached", timeout=600_000)
		idle = time.monotonic() - started
		asked = time.monotonic()
		page.evaluate("() => new Promise((resolve) => setTimeout(resolve, 0))")
		answer = time.monotonic() - asked
		nodes = page.evaluate("() => document.getElementsByTagName('*').length")
		return {"network_idle_s": idle, "answer_ms": answer * 1000, "dom_nodes": nodes, "url": page.url}
	finally:
		page.close()


def main() -> int:
	parser = argparse.ArgumentParser()
	parser.add_argument("site")
	parser.add_argument("base_url")
	parser.add_argument("--sizes", default="100,10000,100000")
	parser.add_argument("--runs", type=int, default=3)
	parser.add_argument("--keep", action="store_true")
	args = parser.parse_args()
	base_url = args.base_url.rstrip("/")
	seed = bench_script(args.site, "bench_seed.py")
	if seed is None:
		raise SystemExit(
			f"{args.site} is not on the bench {os.environ.get('CRM_APP_BENCH')}: nothing to seed with"
		)
	results: dict[int, dict] = {}
	with sync_playwright() as p:
		browser = p.chromium.launch(
			executable_path=os.environ.get("CRM_APP_UI_CHROMIUM", "/usr/bin/chromium"),
			args=CHROMIUM_ARGS,
			headless=True,
		)
		context = browser.new_context(viewport={"width": 1400, "height": 900})
		response = context.request.post(
			base_url + "/api/method/login",
			form={"usr": "Administrator", "pwd": os.environ.get("CRM_APP_UI_ADMIN_PASSWORD", "admin")},
		)
		assert response.ok, f"login: {response.status}"
		try:
			for size in (int(s) for s in args.sizes.split(",")):
				started = time.monotonic()
				seed(str(size), "crm")
				print(f"== {size} deals seeded in {time.monotonic() - started:.0f} s", flush=True)
				for title, path in PAGES.items():
					measure(context, base_url, title, path)  # warm the caches
					runs = [measure(context, base_url, title, path) for _ in range(args.runs)]
					results.setdefault(size, {})[title] = {
						key: statistics.median(r[key] for r in runs)
						for key in ("network_idle_s", "answer_ms", "dom_nodes")
					}
					print(f"   {title}: {results[size][title]} ({runs[-1]['url']})", flush=True)
		finally:
			browser.close()
			if not args.keep:
				seed("clean", "crm")
	print("| deals | page | network idle, s | answers after, ms | DOM nodes |")
	print("|---|---|---|---|---|")
	for size, pages in results.items():
		for title, r in pages.items():
			print(
				f"| {size:,} | {title} | {r['network_idle_s']:.2f} | {r['answer_ms']:.0f} | {int(r['dom_nodes']):,} |"
			)
	print(json.dumps({"site": args.site, "runs": args.runs, "results": results}))
	return 0


if __name__ == "__main__":
	sys.exit(main())
