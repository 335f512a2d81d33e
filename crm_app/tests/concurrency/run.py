"""The concurrency layer: several people at once, over real HTTP against the served site.

    python3 run.py SITE BASE_URL          (.ci/concurrency-tests runs it)

Standard library only (http.client, threads). Every client is its own keep-alive connection
with its own user's API token; all traffic goes to the loopback address BASE_URL resolves
to (anything else is refused), each scenario is bounded in clients, requests and time. The
site is set up and checked over REST as Administrator (password CRM_APP_ADMIN_PASSWORD,
default "admin"); the scenarios assert what the database holds afterwards:

- Issue Invoice pressed on one deal by 2, 4 and 8 clients at once: one success, a clean 4xx
  for the rest, one history row, (with ERPNext) one live Sales Invoice;
- 8 clients moving 20 deals each through the stages (Start Negotiation, Mark Lost, Reopen,
  Issue Invoice): no 5xx, history rows = transitions, funnel facts = stages reached;
- (ERPNext) Confirm Payment racing an accountant's Payment Entry on the same invoice: one
  wins, no 5xx, never paid twice, the outstanding amount never below zero;
- one INN saved by 4 clients at once: one Client Company;
- one web request sent 4 times at once (a double click): one request, company, contact, deal.

Prints `PASS <name>` / `FAIL <name>: <why>` and ends with `Concurrency layer on <site>: N
passed, M failed`; exits non-zero when M > 0.
"""

import datetime
import http.client
import ipaddress
import json
import os
import random
import secrets
import socket
import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

DEADLINE = time.monotonic() + float(os.environ.get("CRM_APP_CONCURRENCY_SECONDS", "1200"))
TIMEOUT = 120


class HttpError(AssertionError):
	pass


def inn10() -> str:
	"""A random legal entity INN (region 77) with its check digit."""
	digits = [7, 7, *(random.randrange(10) for _ in range(7))]
	weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
	check = sum(w * d for w, d in zip(weights, digits, strict=True)) % 11 % 10
	return "".join(map(str, [*digits, check]))


class Client:
	"""One person: a keep-alive connection to the site, as one user."""

	def __init__(self, base_url: str, auth: str | None = None):
		parts = urlsplit(base_url)
		self.host_header = parts.netloc
		self.port = parts.port or 80
		address = socket.gethostbyname(parts.hostname)
		if not ipaddress.ip_address(address).is_loopback:
			raise SystemExit(f"{base_url} resolves to {address}, not a loopback address: refused")
		self.address = address
		self.auth = auth
		self.cookie = None
		self.conn = None

	def request(self, method: str, path: str, body=None, params=None) -> tuple[int, dict]:
		if time.monotonic() > DEADLINE:
			raise HttpError("the layer's time is up")
		path = quote(path, safe="/%")
		if params:
			path = f"{path}?{urlencode(params)}"
		headers = {"Host": self.host_header, "Accept": "application/json"}
		if self.auth:
			headers["Authorization"] = self.auth
		if self.cookie:
			headers["Cookie"] = self.cookie
		data = None
		if body is not None:
			data = json.dumps(body).encode()
			headers["Content-Type"] = "application/json"
		for attempt in (1, 2):
			if self.conn is None:
				self.conn = http.client.HTTPConnection(self.address, self.port, timeout=TIMEOUT)
			try:
				self.conn.request(method, path, body=data, headers=headers)
				response = self.conn.getresponse()
				raw = response.read()
				break
			except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
				self.conn.close()
				self.conn = None
				if attempt == 2:
					raise
			except Exception:
				self.conn.close()
				self.conn = None
				raise
		cookie = response.getheader("Set-Cookie")
		if cookie and "sid=" in cookie:
			self.cookie = cookie.split(";", 1)[0]
		try:
			payload = json.loads(raw or b"{}")
		except ValueError:
			payload = {"raw": raw[:300].decode(errors="replace")}
		return response.status, payload

	def ok(self, method: str, path: str, body=None, params=None):
		status, payload = self.request(method, path, body, params)
		if status >= 300:
			raise HttpError(f"{method} {path}: HTTP {status} {json.dumps(payload)[:400]}")
		return payload.get("message", payload.get("data"))

	def call(self, method: str, **args):
		return self.ok("POST", f"/api/method/{method}", args)

	def insert(self, doc: dict) -> dict:
		return self.ok("POST", f"/api/resource/{quote(doc['doctype'])}", doc)

	def get_doc(self, doctype: str, name: str) -> dict:
		return self.ok("GET", f"/api/resource/{quote(doctype)}/{quote(name)}")

	def get_list(self, doctype: str, filters=None, fields=None, limit=0) -> list[dict]:
		params = {"limit_page_length": limit, "fields": json.dumps(fields or ["name"])}
		if filters:
			params["filters"] = json.dumps(filters)
		return self.ok("GET", f"/api/resource/{quote(doctype)}", params=params)

	def apply(self, doc: dict, action: str) -> tuple[int, dict]:
		"""A workflow action as the desk sends it: the document as the form holds it."""
		return self.request(
			"POST", "/api/method/frappe.model.workflow.apply_workflow", {"doc": doc, "action": action}
		)


def at_once(functions) -> list:
	"""Run the callables in threads released together; returns their results in order
	(an exception is returned as a result, not raised)."""
	barrier = threading.Barrier(len(functions))

	def run(fn):
		barrier.wait(timeout=60)
		try:
			return fn()
		except Exception as e:
			return e

	with ThreadPoolExecutor(len(functions)) as pool:
		return list(pool.map(run, functions))


class World:
	def __init__(self, base_url: str, site: str):
		self.base_url = base_url
		self.site = site
		self.admin = Client(base_url)
		status, payload = self.admin.request(
			"POST",
			"/api/method/login",
			{"usr": "Administrator", "pwd": os.environ.get("CRM_APP_ADMIN_PASSWORD", "admin")},
		)
		if status != 200:
			raise SystemExit(f"cannot log in as Administrator: HTTP {status} {payload}")
		self.erpnext = "erpnext" in (self.admin.call("frappe.utils.change_log.get_versions") or {})
		self.suffix = secrets.token_hex(3)
		self.tokens: dict[str, str] = {}

	def user(self, email: str, roles: list[str]) -> str:
		"""A user with these roles and a fresh API key; returns the Authorization value."""
		if email not in self.tokens:
			if not self.admin.get_list("User", filters={"name": email}):
				self.admin.insert(
					{
						"doctype": "User",
						"email": email,
						"first_name": email.split("@")[0],
						"user_type": "System User",
						"send_welcome_email": 0,
						"roles": [{"role": r} for r in roles],
					}
				)
			secret = self.admin.call("frappe.core.doctype.user.user.generate_keys", user=email)["api_secret"]
			key = self.admin.get_doc("User", email)["api_key"]
			self.tokens[email] = f"token {key}:{secret}"
		return self.tokens[email]

	def client(self, email: str, roles: list[str]) -> Client:
		return Client(self.base_url, self.user(email, roles))

	def settings(self) -> dict:
		return self.admin.get_doc("CRM App Settings", "CRM App Settings")

	def set_settings(self, values: dict):
		self.admin.ok("PUT", f"/api/resource/{quote('CRM App Settings')}/{quote('CRM App Settings')}", values)

	def company(self, as_client: Client | None = None) -> str:
		doc = (as_client or self.admin).insert(
			{
				"doctype": "Client Company",
				"company_name": f"Conc {self.suffix} {secrets.token_hex(2)}",
				"inn": inn10(),
			}
		)
		return doc["name"]

	def item(self) -> str:
		if not hasattr(self, "_item"):
			self._item = self.admin.insert(
				{
					"doctype": "Catalog Item",
					"item_code": f"CONC-SVC-{self.suffix}",
					"item_name": f"Concurrency service {self.suffix}",
					"item_type": "Service",
					"standard_rate": 1000,
					"vat_exempt": 1,
				}
			)["name"]
		return self._item

	def deal(self, as_client: Client, company: str) -> dict:
		return as_client.insert(
			{
				"doctype": "Deal",
				"client_company": company,
				"items": [{"catalog_item": self.item(), "qty": 1}],
			}
		)


MANAGER = "conc-manager@example.com"
ACCOUNTANT = "conc-accounts@example.com"


def sales_user(i: int) -> str:
	return f"conc-sales-{i}@example.com"


def server_errors(results) -> list[str]:
	out = []
	for r in results:
		if isinstance(r, Exception):
			out.append(f"{type(r).__name__}: {r}")
		elif isinstance(r, tuple) and r[0] >= 500:
			out.append(f"HTTP {r[0]}: {json.dumps(r[1])[:300]}")
	return out


def scenario_issue_invoice_race(world: World, clients: int):
	manager = world.client(MANAGER, ["Sales Manager"])
	deal = world.deal(manager, world.company())
	status, payload = manager.apply(deal, "Start Negotiation")
	assert status == 200, f"Start Negotiation: {status} {payload}"
	doc = payload["message"]
	people = [world.client(MANAGER, ["Sales Manager"]) for _ in range(clients)]
	results = at_once([lambda c=c: c.apply(doc, "Issue Invoice") for c in people])
	errors = server_errors(results)
	assert not errors, f"{len(errors)} answers were not clean: {errors[0]}"
	statuses = sorted(r[0] for r in results)
	assert statuses.count(200) == 1, f"answers {statuses}: exactly one success expected"
	assert all(400 <= s < 500 for s in statuses if s != 200), f"answers {statuses}"
	saved = world.admin.get_doc("Deal", deal["name"])
	assert saved["stage"] == "Invoice Issued", saved["stage"]
	assert len(saved["stage_history"]) == 3, f"{len(saved['stage_history'])} history rows, 3 expected"
	if world.erpnext:
		invoices = world.admin.get_list(
			"Sales Invoice", filters=[["crm_deal", "=", deal["name"]], ["docstatus", "<", 2]]
		)
		assert len(invoices) == 1, f"{len(invoices)} live invoices"
		assert saved.get("sales_invoice") == invoices[0]["name"], "the deal links another invoice"


STEPS = (
	("Start Negotiation", "Negotiation"),
	("Mark Lost", "Lost"),
	("Reopen", "Negotiation"),
	("Issue Invoice", "Invoice Issued"),
)


def scenario_stages(world: World, clients: int, deals: int):
	people = [world.client(sales_user(i), ["Sales User"]) for i in range(clients)]
	company = world.company()
	durations: list[float] = []
	retried: list[str] = []
	lock = threading.Lock()

	def work(person: Client):
		made = [world.deal(person, company) for _ in range(deals)]
		answers = []
		for deal in made:
			doc = deal
			for action, stage in STEPS:
				if action == "Mark Lost":
					# the Mark Lost dialog saves the reason, then takes the action
					doc = person.ok("PUT", f"/api/resource/Deal/{doc['name']}", {"lost_reason": "Price"})
				started = time.monotonic()
				status, payload = person.apply(doc, action)
				with lock:
					durations.append(time.monotonic() - started)
				if status == 417 and "same moment" in json.dumps(payload):
					# a clear "try again" (an ERPNext record made by another action at the same
					# moment): pressed again, as a person would
					retried.append(action)
					status, payload = person.apply(person.get_doc("Deal", doc["name"]), action)
				answers.append((status, payload))
				if status != 200:
					break
				doc = payload["message"]
				if doc.get("stage") != stage:
					answers.append((409, {"wrong stage": doc.get("stage"), "expected": stage}))
					break
		return made, answers

	results = at_once([lambda p=p: work(p) for p in people])
	crashed = [r for r in results if isinstance(r, Exception)]
	assert not crashed, f"a client stopped: {crashed[0]}"
	answers = [a for _, client_answers in results for a in client_answers]
	errors = server_errors(answers)
	assert not errors, f"{len(errors)} of {len(answers)} answers were 5xx: {errors[0]}"
	refused = [a for a in answers if a[0] != 200]
	assert not refused, f"{len(refused)} refused: HTTP {refused[0][0]} {json.dumps(refused[0][1])[:300]}"
	names = [d["name"] for made, _ in results for d in made]
	rows = world.admin.get_list(
		"Deal",
		filters=[["client_company", "=", company]],
		fields=["name", "stage", "reached_stages", "left_stages"],
	)
	assert len(rows) == clients * deals, f"{len(rows)} deals of {clients * deals}"
	for row in rows:
		assert row["stage"] == "Invoice Issued", f"{row['name']} at {row['stage']}"
		for stage in ("Negotiation", "Lost", "Invoice Issued"):
			assert stage in (row["reached_stages"] or ""), f"{row['name']}: funnel facts miss {stage}"
	sample = random.sample(names, min(10, len(names)))
	for name in sample:
		history = world.admin.get_doc("Deal", name)["stage_history"]
		assert len(history) == 1 + len(STEPS), f"{name}: {len(history)} history rows"
	durations.sort()
	p50 = durations[len(durations) // 2]
	p95 = durations[int(len(durations) * 0.95)]
	return (
		f"{len(answers)} stage changes by {clients} clients, p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
		f"{len(retried)} pressed again after a clear 'try again'"
	)


def scenario_payment_race(world: World, rounds: int):
	manager = world.client(MANAGER, ["Sales Manager"])
	accountant = world.client(ACCOUNTANT, ["Accounts User", "Accounts Manager"])
	outcomes = []
	for _ in range(rounds):
		deal = world.deal(manager, world.company())
		doc = manager.apply(deal, "Start Negotiation")[1]["message"]
		status, payload = manager.apply(doc, "Issue Invoice")
		assert status == 200, f"Issue Invoice: {status} {json.dumps(payload)[:300]}"
		doc = payload["message"]
		invoice = doc["sales_invoice"]
		entry = accountant.call(
			"erpnext.accounts.doctype.payment_entry.payment_entry.get_payment_entry",
			dt="Sales Invoice",
			dn=invoice,
		)
		entry.update(
			{
				"docstatus": 1,
				"reference_no": f"race-{secrets.token_hex(3)}",
				"reference_date": entry.get("posting_date"),
			}
		)
		results = at_once(
			[
				lambda: manager.apply(doc, "Confirm Payment"),
				lambda: accountant.request("POST", "/api/resource/Payment Entry", entry),
			]
		)
		errors = server_errors(results)
		assert not errors, f"not clean: {errors[0]}"
		outcomes.append(tuple(r[0] for r in results))
		saved = world.admin.get_doc("Sales Invoice", invoice)
		assert saved["outstanding_amount"] >= 0, f"outstanding {saved['outstanding_amount']}"
		paid = saved["grand_total"] - saved["outstanding_amount"]
		assert abs(paid - saved["grand_total"]) < 0.01, f"paid {paid} of {saved['grand_total']}"
		stage = world.admin.get_doc("Deal", deal["name"])["stage"]
		assert stage == "Invoice Paid", f"deal at {stage}"
		entries = world.admin.get_list(
			"Payment Entry", filters=[["party", "=", saved["customer"]], ["docstatus", "=", 1]]
		)
		assert len(entries) == 1, f"{len(entries)} payments booked for one invoice"
	return "answers (Confirm Payment, Payment Entry): " + ", ".join(f"{a}/{b}" for a, b in outcomes)


def scenario_same_inn(world: World, clients: int):
	people = [world.client(sales_user(i), ["Sales User"]) for i in range(clients)]
	inn = inn10()
	results = at_once(
		[
			lambda p=p, i=i: p.request(
				"POST",
				"/api/resource/Client Company",
				{"doctype": "Client Company", "company_name": f"Twin {world.suffix} {i}", "inn": inn},
			)
			for i, p in enumerate(people)
		]
	)
	errors = server_errors(results)
	assert not errors, f"not clean: {errors[0]}"
	statuses = sorted(r[0] for r in results)
	assert statuses.count(200) == 1, f"answers {statuses}"
	count = len(world.admin.get_list("Client Company", filters=[["inn", "=", inn]]))
	assert count == 1, f"{count} companies with INN {inn}"
	return f"answers {statuses}"


def scenario_same_request(world: World, clients: int):
	email = f"double-{world.suffix}-{secrets.token_hex(2)}@client.test"
	data = {"full_name": "Ivan Petrov", "email": email, "inn": inn10(), "message": "5 pumps, please"}
	guests = [Client(world.base_url) for _ in range(clients)]
	results = at_once(
		[
			lambda g=g: g.request(
				"POST",
				"/api/method/frappe.website.doctype.web_form.web_form.accept",
				{"web_form": "Client Request", "data": json.dumps({"doctype": "Client Request", **data})},
			)
			for g in guests
		]
	)
	errors = server_errors(results)
	assert not errors, f"not clean: {errors[0]}"
	statuses = sorted(r[0] for r in results)
	assert statuses == [200] * clients, f"answers {statuses}: every send is answered as received"
	requests = world.admin.get_list(
		"Client Request", filters=[["email", "=", email]], fields=["name", "deal"]
	)
	assert len(requests) == 1, f"{len(requests)} requests"
	contacts = world.admin.get_list("Client Contact", filters=[["email", "=", email]])
	assert len(contacts) == 1, f"{len(contacts)} contacts"
	companies = world.admin.get_list("Client Company", filters=[["inn", "=", data["inn"]]])
	assert len(companies) == 1, f"{len(companies)} companies"
	deals = world.admin.get_list("Deal", filters=[["client_company", "=", companies[0]["name"]]])
	assert len(deals) == 1, f"{len(deals)} deals"


def bank_exchange():
	"""The app's 1CClientBankExchange module (pure Python), loaded from the checkout."""
	sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
	from app_module import load

	return load("documents/bank_exchange.py")


def statement_text(account: str, number: str, amount: float, inn: str, invoice: str) -> bytes:
	"""A statement (windows-1251) of one incoming payment paying `invoice`."""
	day = datetime.date.today()
	payment = {"number": number, "date": day, "amount": amount, "payer_inn": inn, "payer": "Conc payer",
			   "purpose": f"Оплата по счёту № {invoice}"}  # fmt: skip
	return bank_exchange().build(account, [payment], day, day)


def scenario_same_statement(world: World, clients: int):
	"""One statement uploaded by several accountants, booked by all at the same moment:
	the payment is booked once (the deal's paid amount is the payment's, not a multiple)."""
	import base64

	account = world.settings().get("seller_settlement_account")
	company = world.company()
	inn = world.admin.get_doc("Client Company", company)["inn"]
	deal = world.deal(world.admin, company)
	for action in ("Start Negotiation", "Issue Invoice"):
		status, payload = world.admin.apply(world.admin.get_doc("Deal", deal["name"]), action)
		assert status == 200, f"{action}: HTTP {status} {json.dumps(payload)[:300]}"
	deal = world.admin.get_doc("Deal", deal["name"])
	data = statement_text(account, secrets.token_hex(3), deal["grand_total"], inn, deal["name"])
	people = [world.client(MANAGER, ["Sales Manager"]) for _ in range(clients)]
	uploads = []
	for i, person in enumerate(people):
		file = person.insert(
			{"doctype": "File", "file_name": f"statement-{world.suffix}-{i}.txt", "is_private": 1,
			 "content": base64.b64encode(data).decode(), "decode": 1}
		)  # fmt: skip
		uploads.append(
			person.insert({"doctype": "Bank Statement Upload", "statement_file": file["file_url"]})
		)
	assert all(u["lines"][0]["status"] == "Matched" for u in uploads), [
		u["lines"][0]["status"] for u in uploads
	]
	results = at_once(
		[
			lambda p=p, u=u: p.request(
				"POST", "/api/method/run_doc_method",
				{"dt": "Bank Statement Upload", "dn": u["name"], "method": "book_payments"},
			)
			for p, u in zip(people, uploads, strict=True)
		]
	)  # fmt: skip
	errors = server_errors(results)
	assert not errors, f"not clean: {errors[0]}"
	statuses = [
		world.admin.get_doc("Bank Statement Upload", u["name"])["lines"][0]["status"] for u in uploads
	]
	assert sorted(statuses) == ["Booked"] + ["Booked Before"] * (clients - 1), f"lines {statuses}"
	deal = world.admin.get_doc("Deal", deal["name"])
	assert deal["stage"] == "Invoice Paid", deal["stage"]
	assert abs(deal["paid_amount"] - deal["grand_total"]) < 0.01, f"paid {deal['paid_amount']}"
	return f"lines {sorted(statuses)}"


def scenario_same_upd(world: World, clients: int):
	"""The electronic UPD of one paid deal asked by several people at the same moment: one
	file attached, every answer naming it."""
	company = world.company()
	world.admin.ok(
		"PUT", f"/api/resource/Client%20Company/{quote(company)}", {"edo_id": f"2BM-{world.suffix}-buyer"}
	)
	deal = world.deal(world.admin, company)["name"]
	for action in ("Start Negotiation", "Issue Invoice", "Confirm Payment"):
		status, payload = world.admin.apply(world.admin.get_doc("Deal", deal), action)
		assert status == 200, f"{action}: HTTP {status} {json.dumps(payload)[:300]}"
	people = [world.client(MANAGER, ["Sales Manager"]) for _ in range(clients)]
	method = "/api/method/crm_app.documents.edo.electronic_upd"
	results = at_once([lambda p=p: p.request("POST", method, {"deal": deal}) for p in people])
	errors = server_errors(results)
	assert not errors, f"not clean: {errors[0]}"
	assert [r[0] for r in results] == [200] * clients, f"answers {[r[0] for r in results]}"
	names = {r[1]["message"]["file_name"] for r in results}
	assert len(names) == 1, f"{len(names)} different files: {names}"
	files = world.admin.get_list(
		"File", filters=[["attached_to_doctype", "=", "Deal"], ["attached_to_name", "=", deal]]
	)
	assert len(files) == 1, f"{len(files)} files attached"
	return f"one file {names.pop()[:40]}…"


def main() -> int:
	site, base_url = sys.argv[1], sys.argv[2].rstrip("/")
	world = World(base_url, site)
	print(f"== {site} at {base_url}: ERPNext {'yes' if world.erpnext else 'no'}, run {world.suffix}")
	settings = world.settings()
	wanted = {"own_deals_only": 1}
	if not settings.get("seller_settlement_account"):  # a bank account for the statements (a valid pair)
		wanted.update(seller_settlement_account="40702810938000000001", seller_bik="044525225")
	if not world.erpnext:  # the seller as the electronic UPD needs it (what is set stays)
		for key, value in (
			("seller_legal_name", 'ООО "Параллель"'),
			("seller_inn", "7707083893"),
			("seller_director", "Иванов Иван Иванович"),
			("seller_edo_id", "2BE-7707083893-conc"),
		):
			wanted[key] = settings.get(key) or value
	if world.erpnext:
		company = settings.get("erpnext_company") or world.admin.get_list("Company", limit=1)[0]["name"]
		wanted.update(erpnext_enabled=1, erpnext_company=company, submit_invoices=1)
		world.user(ACCOUNTANT, ["Accounts User", "Accounts Manager"])
	restore = {key: settings.get(key) for key in wanted}
	scenarios = [
		*(
			(
				f"Issue Invoice pressed by {n} clients at once",
				lambda n=n: scenario_issue_invoice_race(world, n),
			)
			for n in (2, 4, 8)
		),
		("8 clients move 20 deals each through the stages", lambda: scenario_stages(world, 8, 20)),
		("one INN saved by 4 clients at once", lambda: scenario_same_inn(world, 4)),
		("one web request sent 4 times at once", lambda: scenario_same_request(world, 4)),
	]
	if world.erpnext:
		scenarios.append(("Confirm Payment racing a Payment Entry", lambda: scenario_payment_race(world, 4)))
	else:
		scenarios.append(
			("one statement booked by 3 accountants at once", lambda: scenario_same_statement(world, 3))
		)
		scenarios.append(
			("one deal's electronic UPD asked by 3 people at once", lambda: scenario_same_upd(world, 3))
		)
	passed = failed = 0
	started = time.monotonic()
	try:
		world.set_settings(wanted)
		for title, scenario in scenarios:
			t0 = time.monotonic()
			try:
				note = scenario()
				passed += 1
				print(
					f"PASS {title} ({time.monotonic() - t0:.1f} s){': ' + note if note else ''}", flush=True
				)
			except Exception as e:
				failed += 1
				detail = str(e) if isinstance(e, AssertionError) else traceback.format_exc(limit=3)
				print(f"FAIL {title}: {detail}", flush=True)
	finally:
		world.set_settings(restore)
	print(f"== {time.monotonic() - started:.0f} s")
	print(f"Concurrency layer on {site}: {passed} passed, {failed} failed")
	return 1 if failed else 0


if __name__ == "__main__":
	sys.exit(main())
