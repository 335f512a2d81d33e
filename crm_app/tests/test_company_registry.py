"""Company card by INN: a Client Company filled from the state register through a
DaData-compatible findById/party service — here a stub HTTP server on 127.0.0.1 answering
with hand-written samples (registry_samples.json) or with each kind of fault."""

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from unittest.mock import patch

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import now_datetime

from crm_app.clients.registry import lookup as company_registry
from crm_app.clients.registry.card import DADATA_URL
from crm_app.clients.registry.lookup import RegistryError
from crm_app.crm_app.doctype.client_company.client_company import ClientCompany
from crm_app.pipeline.events import record_fact
from crm_app.tests import CRMTestCase
from crm_app.tests.test_client_request import submit
from crm_app.tests.utils import (
	fresh_settings,
	make_company,
	make_deal,
	make_item,
	make_user,
	outsider_role,
	random_inn,
)

SAMPLES = json.loads(Path(__file__).with_name("registry_samples.json").read_text())
LEGAL, SOLE, BRANCHES, EMPTY = "7712345671", "771234567859", "7810987652", "7707083893"
LIQUIDATED, BANKRUPT, LIQUIDATING, REORGANIZING = "5404112238", "3663123450", "6165432109", "5027010012"
LONG = "7752601811"  # a name and a director longer than the fields hold
SAMPLE_INNS = [inn for inn in SAMPLES if inn.isdigit()]
READER = "crm-registry-reader@example.com"
SALES_USER = "crm-registry-user@example.com"
SLOW_SECONDS = 2
LOG_TITLE = "Company Register Lookup Failed"


class StubServer(ThreadingHTTPServer):
	"""A findById/party service on a random port of 127.0.0.1. The path says how it
	answers: /ok (the sample for the INN asked, every branch whatever the KPP — the
	client chooses), /slow (the same after SLOW_SECONDS), /drip (headers at once, then a byte
	every 0.2 s), /status/<code>, /garbage (not
	JSON), /alien (JSON of another shape). Each request is kept in `requests`."""

	def __init__(self):
		self.requests = []
		super().__init__(("127.0.0.1", 0), StubHandler)
		threading.Thread(target=self.serve_forever, daemon=True).start()

	def url(self, mode: str = "ok") -> str:
		return f"http://127.0.0.1:{self.server_address[1]}/{mode}"

	def handle_error(self, request, client_address):
		pass  # a client that gave up on /slow


class StubHandler(BaseHTTPRequestHandler):
	def do_POST(self):
		length = int(self.headers.get("Content-Length") or 0)
		body = json.loads(self.rfile.read(length) or b"null")
		self.server.requests.append({"path": self.path, "body": body, "headers": dict(self.headers)})
		mode = self.path.strip("/")
		if mode == "slow":
			time.sleep(SLOW_SECONDS)
		if mode == "drip":  # headers at once, then the answer a byte at a time
			data = json.dumps(SAMPLES.get(body["query"], {"suggestions": []}), ensure_ascii=False).encode()
			self.send_response(200)
			self.send_header("Content-Type", "application/json")
			self.send_header("Content-Length", str(len(data)))
			self.end_headers()
			for byte in data[:40]:
				self.wfile.write(bytes([byte]))
				self.wfile.flush()
				time.sleep(0.2)
			return
		if mode.startswith("status/"):
			self.answer(int(mode.split("/")[1]), json.dumps({"message": "refused"}))
		elif mode == "garbage":
			self.answer(200, "<html><body>Bad Gateway</body></html>", "text/html")
		elif mode == "alien":
			self.answer(200, json.dumps({"result": "ok"}))
		else:
			self.answer(200, json.dumps(SAMPLES.get(body["query"], {"suggestions": []}), ensure_ascii=False))

	def answer(self, status: int, text: str, content_type: str = "application/json"):
		data = text.encode()
		self.send_response(status)
		self.send_header("Content-Type", content_type)
		self.send_header("Content-Length", str(len(data)))
		self.end_headers()
		self.wfile.write(data)

	def log_message(self, *args):
		pass


def closed_port_url() -> str:
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		port = s.getsockname()[1]
	return f"http://127.0.0.1:{port}/ok"


def clear_registry_cache():
	frappe.cache.delete_keys(company_registry.CACHE_PREFIX)


def forget_settings():
	frappe.clear_document_cache("CRM App Settings", "CRM App Settings")


def messages() -> list[str]:
	return [(json.loads(m) if isinstance(m, str) else m).get("message", "") for m in frappe.local.message_log]


class RegistryTestCase(CRMTestCase):
	@classmethod
	def setUpClass(cls):
		# run after the class's rollback: no cached settings or answers of this class stay
		cls.addClassCleanup(clear_registry_cache)
		cls.addClassCleanup(forget_settings)
		super().setUpClass()
		cls.stub = StubServer()
		cls.addClassCleanup(cls.stub.server_close)
		cls.addClassCleanup(cls.stub.shutdown)
		cls.token = f"stub-secret-{frappe.generate_hash(length=12)}"
		make_user(SALES_USER, ["Sales User"])

	def setUp(self):
		self.use(self.stub.url())
		clear_registry_cache()
		frappe.db.delete("Client Company", {"inn": ("in", SAMPLE_INNS)})
		self.stub.requests.clear()
		frappe.clear_messages()
		frappe.local.lang = "en"  # the messages are asserted in English
		self.started = now_datetime()

	def tearDown(self):
		frappe.set_user("Administrator")

	def use(self, url: str):
		fresh_settings(
			company_registry_enabled=1,
			company_registry_url=url,
			company_registry_token=self.token,
			erpnext_enabled=0,
			own_deals_only=0,
		)

	def new_company(self, inn: str | None, **values):
		"""An unsaved company, as the form sends it (defaults set, marked local)."""
		company = frappe.new_doc("Client Company")
		company.update({"inn": inn, **values})
		return company

	def assert_no_secret_anywhere(self, *texts: str):
		"""Neither the token nor the service's address in `texts`, the messages shown or
		any Error Log written since the test started."""
		logs = frappe.get_all(
			"Error Log", filters={"creation": (">=", self.started)}, fields=["method", "error"]
		)
		mine = [*texts, *messages(), *(log.error for log in logs if log.method == LOG_TITLE)]
		host = f"127.0.0.1:{self.stub.server_address[1]}"
		for text in [*mine, *(f"{log.method} {log.error}" for log in logs)]:
			self.assertNotIn(self.token, text)
			self.assertNotIn(host, text)
		for text in mine:
			self.assertNotIn("Traceback", text)


class TestFillByInn(RegistryTestCase):
	def test_legal_entity_fills_the_empty_fields_and_saves(self):
		company = make_company(inn=LEGAL, company_name="Ромашка (наш клиент)", director="Иванов И. И.")
		filled = company.fill_from_registry()
		saved = frappe.get_doc("Client Company", company.name)
		self.assertEqual(
			(saved.company_name, saved.director, saved.kpp, saved.ogrn, saved.address, saved.registry_status),
			(
				"Ромашка (наш клиент)",  # typed: kept
				"Иванов И. И.",
				"771201001",
				"1147746123458",
				"125009, г Москва, Тверской р-н, ул Тверская, д 7",
				"Active",
			),
		)
		self.assertTrue(saved.registry_checked_on)
		self.assertEqual(len(filled), 3)  # KPP, OGRN, address: translated labels
		request = self.stub.requests[0]
		self.assertEqual(request["body"], {"query": LEGAL, "branch_type": "MAIN"})
		self.assertEqual(request["headers"]["Authorization"], f"Token {self.token}")
		self.assertEqual(request["headers"]["Content-Type"], "application/json")
		self.assertEqual(request["headers"]["Accept"], "application/json")

	def test_new_company_is_filled_with_the_name_and_legal_form_but_not_saved(self):
		company = self.new_company(LEGAL)
		company.fill_from_registry()
		self.assertTrue(company.is_new())
		self.assertEqual(
			(company.company_name, company.entity_type, company.director),
			('ООО "РОМАШКА"', "Legal Entity", "Иванов Иван Иванович"),
		)
		company.insert()

	def test_sole_proprietor_is_their_own_director(self):
		company = self.new_company(SOLE)  # entity type left at its default, Legal Entity
		company.fill_from_registry()
		self.assertEqual(
			(company.company_name, company.entity_type, company.director, company.ogrn, company.kpp or ""),
			("ИП Петров Пётр Петрович", "Sole Proprietor", "Петров Пётр Петрович", "318774600123452", ""),
		)
		self.assertEqual(self.stub.requests[0]["body"], {"query": SOLE})
		company.insert()

	def test_branch_chosen_by_kpp(self):
		branch = self.new_company(BRANCHES, kpp="781045001")
		branch.fill_from_registry()
		self.assertEqual(self.stub.requests[-1]["body"], {"query": BRANCHES, "kpp": "781045001"})
		self.assertTrue(branch.address.startswith("195000"))
		head = self.new_company(BRANCHES)
		head.fill_from_registry()
		self.assertEqual((head.kpp, head.address[:6]), ("781001001", "190000"))

	def test_liquidated_company(self):
		company = make_company(inn=LIQUIDATED)
		company.fill_from_registry()
		self.assertEqual(frappe.db.get_value("Client Company", company.name, "registry_status"), "Liquidated")
		alert = company_registry.company_status_alert(company.name)
		self.assertEqual((alert["status"], alert["indicator"]), ("Liquidated", "red"))
		self.assertTrue(alert["message"])
		# the forms read the banner from __onload: with the company, and with Fill by INN's answer
		self.assertEqual(company.get("__onload").company_status_alert, alert)
		stored = frappe.get_doc("Client Company", company.name)
		stored.run_method("onload")
		self.assertEqual(stored.get("__onload").company_status_alert, alert)
		self.assertEqual(stored.as_dict()["__onload"]["company_status_alert"]["indicator"], "red")

	def test_a_new_company_cannot_bring_its_own_status(self):
		"""Saved with a status it claims (REST, import): the register's answer decides."""
		company = make_company(registry_status="Active", registry_checked_on=frappe.utils.now_datetime())
		self.assertEqual(
			frappe.db.get_value("Client Company", company.name, ["registry_status", "registry_checked_on"]),
			(None, None),
		)
		liquidated = make_company(inn=LIQUIDATED, registry_status="Active")
		self.assertEqual(
			frappe.db.get_value("Client Company", liquidated.name, "registry_status"), "Liquidated"
		)

	def test_form_fill_then_save_keeps_the_card_without_a_second_call(self):
		"""The form's path: Fill by INN on a new company (not saved), then Save — the save
		arrives as a new document without the server's flag."""
		filled = self.new_company(LIQUIDATED)
		filled.fill_from_registry()
		sent = frappe.get_doc(filled.as_dict())  # what the browser sends back on Save
		sent.insert()
		self.assertEqual(frappe.db.get_value("Client Company", sent.name, "registry_status"), "Liquidated")
		self.assertEqual(len(self.stub.requests), 1)

	def test_long_names_are_cut_to_fit(self):
		company = self.new_company(LONG)
		company.fill_from_registry()
		company.insert()
		self.assertLessEqual(len(company.company_name), 140)
		self.assertTrue(company.company_name.startswith("ФЕДЕРАЛЬНОЕ ГОСУДАРСТВЕННОЕ"))
		self.assertTrue(company.company_name.endswith("…"))
		self.assertLessEqual(len(company.director), 140)

	def test_status_changes_only_by_a_lookup(self):
		"""Clearing "Liquidated" by a save, REST-style set_value or import is undone."""
		company = make_company(inn=LIQUIDATED)
		company.fill_from_registry()
		checked_on = frappe.db.get_value("Client Company", company.name, "registry_checked_on")
		frappe.set_value("Client Company", company.name, "registry_status", "Active")
		doc = frappe.get_doc("Client Company", company.name)
		doc.update({"registry_status": "", "registry_checked_on": None, "notes": "edited"})
		doc.save()
		self.assertEqual(
			frappe.db.get_value(
				"Client Company", company.name, ["registry_status", "registry_checked_on", "notes"]
			),
			("Liquidated", checked_on, "edited"),
		)

	def test_status_alerts_for_the_deal(self):
		for inn, status, indicator in (
			(BANKRUPT, "Bankrupt", "red"),
			(LIQUIDATING, "Liquidating", "orange"),
			(REORGANIZING, "Reorganizing", "orange"),
		):
			with self.subTest(status=status):
				company = make_company(inn=inn)
				company.fill_from_registry()
				alert = company_registry.company_status_alert(company.name)
				self.assertEqual((alert["status"], alert["indicator"]), (status, indicator))
		self.assertIsNone(company_registry.company_status_alert(make_company(inn=LEGAL).name))
		self.assertIsNone(company_registry.company_status_alert(make_company().name))
		self.assertIsNone(company_registry.company_status_alert(None))

	def test_empty_answer(self):
		company = make_company(inn=EMPTY)
		with self.assertRaises(RegistryError) as caught:
			company.fill_from_registry()
		self.assertIn(EMPTY, str(caught.exception))
		self.assertFalse(frappe.db.get_value("Client Company", company.name, "registry_status"))

	def test_one_call_per_inn_and_kpp_a_day(self):
		company = make_company(inn=BRANCHES)
		company.fill_from_registry()
		self.new_company(BRANCHES).fill_from_registry()
		self.assertEqual(len(self.stub.requests), 1)
		self.new_company(BRANCHES, kpp="500245001").fill_from_registry()
		self.assertEqual(len(self.stub.requests), 2)
		keys = frappe.cache.get_keys(company_registry.CACHE_PREFIX)
		self.assertEqual(len(keys), 2)
		for key in keys:
			self.assertTrue(company_registry.CACHE_SECONDS - 60 < frappe.cache.ttl(key) <= 86400)

	def test_bad_inn_is_refused_before_any_call(self):
		for inn, kpp in (("7707083894", None), ("12345", None), (LEGAL, "77AB")):
			with self.subTest(inn=inn, kpp=kpp), self.assertRaises(RegistryError):
				self.new_company(inn, kpp=kpp).fill_from_registry()
		with self.assertRaises(RegistryError):
			self.new_company(None).fill_from_registry()
		self.assertEqual(self.stub.requests, [])

	def test_write_permission_is_checked(self):
		company = make_company(inn=LEGAL)
		make_user(READER, [outsider_role()])
		frappe.share.add_docshare(
			"Client Company", company.name, READER, read=1, write=0, flags={"ignore_share_permission": True}
		)
		frappe.set_user(READER)
		doc = frappe.get_doc("Client Company", company.name)
		self.assertTrue(doc.has_permission("read"))  # what run_doc_method checks
		with self.assertRaises(frappe.PermissionError):
			doc.fill_from_registry()
		self.assertEqual(self.stub.requests, [])
		frappe.set_user(SALES_USER)
		frappe.get_doc("Client Company", company.name).fill_from_registry()
		self.assertEqual(frappe.db.get_value("Client Company", company.name, "kpp"), "771201001")

	def test_the_method_is_whitelisted_for_post_only(self):
		fn = ClientCompany.fill_from_registry
		self.assertIn(fn, frappe.whitelisted)
		self.assertEqual(frappe.allowed_http_methods_for_whitelisted_func[fn], ["POST"])

	def test_token_is_a_password(self):
		settings = frappe.get_doc("CRM App Settings")
		self.assertNotEqual(settings.company_registry_token, self.token)
		self.assertNotIn(self.token, frappe.as_json(settings.as_dict()))
		self.assertEqual(settings.get_password("company_registry_token"), self.token)


class TestFaults(RegistryTestCase):
	def assert_fault(self, url: str, expected: str):
		self.use(url)
		company = make_company(inn=LEGAL, company_name="Ромашка")
		with self.assertRaises(RegistryError) as caught:
			company.fill_from_registry()
		self.assertIn(expected, str(caught.exception))
		self.assert_no_secret_anywhere(str(caught.exception))
		saved = frappe.get_doc("Client Company", company.name)
		self.assertFalse(saved.kpp or saved.registry_status or saved.registry_checked_on)
		saved.notes = "saved after the fault"
		saved.save()  # the register never blocks saving a company
		return caught.exception

	def test_service_down(self):
		self.assert_fault(closed_port_url(), "cannot be reached")

	def test_service_slow(self):
		start = time.monotonic()
		with patch.object(company_registry, "TIMEOUT", 0.5):
			self.assert_fault(self.stub.url("slow"), "did not answer within 0.5 seconds")
		self.assertLess(time.monotonic() - start, SLOW_SECONDS)

	def test_service_answering_a_byte_at_a_time(self):
		"""The limit is on the whole call, not on each read: a trickle is cut off too."""
		start = time.monotonic()
		with patch.object(company_registry, "TIMEOUT", 0.5):
			self.assert_fault(self.stub.url("drip"), "did not answer within 0.5 seconds")
		self.assertLess(time.monotonic() - start, 2)

	def test_token_refused(self):
		for code in (401, 403):
			with self.subTest(code=code):
				frappe.db.delete("Client Company", {"inn": LEGAL})
				self.assert_fault(self.stub.url(f"status/{code}"), "refused the API token")

	def test_rate_limited(self):
		self.assert_fault(self.stub.url("status/429"), "too many requests")

	def test_service_failing(self):
		self.assert_fault(self.stub.url("status/500"), "is failing (HTTP 500)")

	def test_garbage(self):
		self.assert_fault(self.stub.url("garbage"), "cannot be read")
		frappe.db.delete("Client Company", {"inn": LEGAL})
		self.assert_fault(self.stub.url("alien"), "cannot be read")

	def test_failures_are_not_cached(self):
		for _attempt in range(2):
			with self.assertRaises(RegistryError):
				self.use(self.stub.url("status/500"))
				self.new_company(LEGAL).fill_from_registry()
		self.assertEqual(len(self.stub.requests), 2)
		self.use(self.stub.url())
		company = self.new_company(LEGAL)
		company.fill_from_registry()
		self.assertEqual(company.kpp, "771201001")

	def test_a_message_with_a_title_from_the_method(self):
		self.use(self.stub.url("status/503"))
		with self.assertRaises(RegistryError):
			self.new_company(LEGAL).fill_from_registry()
		shown = [json.loads(m) if isinstance(m, str) else m for m in frappe.local.message_log]
		self.assertEqual(shown[-1]["title"], "State Register")
		self.assertIn("HTTP 503", shown[-1]["message"])


class TestInvoiceToTheCompany(RegistryTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.item = make_item(standard_rate=100).name

	def deal_of(self, status: str | None, inn: str | None = None):
		company = make_company(inn=inn or random_inn())
		# the status only a lookup writes, set here as a test's own choice
		frappe.db.set_value("Client Company", company.name, "registry_status", status)
		deal = make_deal(company.name, items=[{"catalog_item": self.item, "qty": 1}])
		frappe.db.set_value("Deal", deal.name, "stage", "Negotiation", update_modified=False)
		return deal

	def issue(self, deal):
		frappe.set_user(SALES_USER)
		try:
			return apply_workflow(frappe.get_doc("Deal", deal.name).as_dict(), "Issue Invoice")
		finally:
			frappe.set_user("Administrator")

	def test_liquidated_or_bankrupt_refused(self):
		for status in ("Liquidated", "Bankrupt"):
			with self.subTest(status=status):
				deal = self.deal_of(status)
				with self.assertRaises(frappe.ValidationError) as caught:
					self.issue(deal)
				self.assertIn("no invoice can be issued", str(caught.exception))
				self.assertEqual(frappe.db.get_value("Deal", deal.name, "stage"), "Negotiation")

	def test_a_second_record_of_a_liquidated_inn_is_no_way_round(self):
		"""A company never checked takes the refusal of another record of its INN (the same
		legal entity under another KPP)."""
		liquidated = self.deal_of("Liquidated")
		inn = frappe.db.get_value("Client Company", liquidated.client_company, "inn")
		frappe.db.set_value("Client Company", liquidated.client_company, "kpp", "771201001")
		other = make_company(inn=inn, kpp="771202001")
		deal = make_deal(other.name, items=[{"catalog_item": self.item, "qty": 1}])
		frappe.db.set_value("Deal", deal.name, "stage", "Negotiation", update_modified=False)
		with self.assertRaises(frappe.ValidationError):
			self.issue(deal)
		# a branch checked in the register on its own keeps its own (active) status
		frappe.db.set_value("Client Company", other.name, "registry_status", "Active")
		self.assertEqual(self.issue(deal).stage, "Invoice Issued")

	def test_liquidating_or_reorganizing_warned_and_issued(self):
		for status in ("Liquidating", "Reorganizing"):
			with self.subTest(status=status):
				frappe.clear_messages()
				deal = self.deal_of(status)
				self.assertEqual(self.issue(deal).stage, "Invoice Issued")
				shown = [json.loads(m) if isinstance(m, str) else m for m in frappe.local.message_log]
				warning = next(m for m in shown if "check the client" in m.get("message", ""))
				self.assertEqual(warning.get("indicator"), "orange")

	def test_active_and_unchecked_issued_without_a_word(self):
		for status in ("Active", "Unknown", None):
			with self.subTest(status=status):
				frappe.clear_messages()
				self.assertEqual(self.issue(self.deal_of(status)).stage, "Invoice Issued")
				self.assertFalse([m for m in messages() if "state register" in m])

	def test_ledger_facts_are_not_blocked(self):
		"""A cancelled payment brings the deal of a company liquidated since back to Invoice
		Issued: a fact recorded in ERPNext, not a user's move."""
		deal = self.deal_of("Liquidated")
		frappe.db.set_value("Deal", deal.name, "stage", "Invoice Paid", update_modified=False)
		self.assertTrue(record_fact(deal.name, "Invoice Issued", "Payment Entry", "ACC-PAY-TEST"))
		self.assertEqual(frappe.db.get_value("Deal", deal.name, "stage"), "Invoice Issued")


class TestRequestsFromTheRegister(RegistryTestCase):
	def request_company(self, **data) -> "frappe.model.document.Document":
		data.setdefault("email", f"buyer-{frappe.generate_hash(length=6)}@example.com")
		request = submit(full_name="Анна Смирнова", **data)
		return frappe.get_doc(
			"Client Company", frappe.db.get_value("Client Request", request.name, "client_company")
		)

	def test_web_form_fills_a_new_company(self):
		company = self.request_company(inn=LEGAL)
		self.assertEqual(
			(company.company_name, company.kpp, company.ogrn, company.director, company.registry_status),
			('ООО "РОМАШКА"', "771201001", "1147746123458", "Иванов Иван Иванович", "Active"),
		)
		self.assertTrue(company.registry_checked_on)
		self.assertEqual(len(self.stub.requests), 1)

	def test_a_long_register_name_never_loses_the_request(self):
		company = self.request_company(inn=LONG)
		self.assertTrue(company.company_name.endswith("…"))
		self.assertEqual(company.registry_status, "Active")

	def test_what_the_client_typed_is_kept(self):
		company = self.request_company(inn=SOLE, company_name="Петров и партнёры")
		self.assertEqual(
			(company.company_name, company.entity_type, company.director),
			("Петров и партнёры", "Sole Proprietor", "Петров Пётр Петрович"),
		)

	def test_a_failure_never_blocks_the_request(self):
		for url in (self.stub.url("status/500"), closed_port_url(), self.stub.url("garbage")):
			with self.subTest(url=url):
				frappe.db.delete("Client Company", {"inn": LEGAL})
				self.use(url)
				company = self.request_company(inn=LEGAL)
				self.assertEqual(company.company_name, "Анна Смирнова")
				self.assertFalse(company.kpp or company.registry_status)
				self.assertTrue(
					frappe.db.get_value("Client Request", {"client_company": company.name}, "deal")
				)
		logs = frappe.get_all(
			"Error Log",
			filters={"creation": (">=", self.started), "method": LOG_TITLE},
		)
		self.assertEqual(len(logs), 3)
		self.assert_no_secret_anywhere()

	def test_an_unknown_inn_creates_the_company_as_typed(self):
		company = self.request_company(inn=EMPTY, company_name="ООО Луч")
		self.assertEqual(company.company_name, "ООО Луч")
		self.assertFalse(company.registry_status)


class TestFromDefaults(CRMTestCase):
	"""What a freshly installed site does: the register is off and nothing calls out;
	switched on with the URL left empty, DaData's own endpoint is what is called."""

	@classmethod
	def setUpClass(cls):
		cls.addClassCleanup(clear_registry_cache)
		cls.addClassCleanup(forget_settings)
		super().setUpClass()

	def setUp(self):
		clear_registry_cache()
		frappe.db.delete("Client Company", {"inn": ("in", SAMPLE_INNS)})
		frappe.local.lang = "en"

	def test_off_by_default_and_nothing_calls_out(self):
		fresh_settings()
		self.assertFalse(company_registry.registry_enabled())
		with patch.object(company_registry.requests, "post") as post:
			with self.assertRaises(RegistryError) as caught:
				frappe.get_doc({"doctype": "Client Company", "inn": LEGAL}).fill_from_registry()
			self.assertIn("is off", str(caught.exception))
			request = submit(
				full_name="Анна", inn=LEGAL, email=f"a-{frappe.generate_hash(length=6)}@example.com"
			)
			company = frappe.db.get_value("Client Request", request.name, "client_company")
			self.assertEqual(frappe.db.get_value("Client Company", company, "company_name"), "Анна")
		post.assert_not_called()

	def test_empty_url_means_dadata(self):
		fresh_settings(company_registry_enabled=1, company_registry_token="dadata-token")
		self.assertEqual(company_registry.service_url(), DADATA_URL)
		with patch.object(
			company_registry, "call_service", return_value=SAMPLES[LEGAL]["suggestions"]
		) as call:
			company = frappe.get_doc({"doctype": "Client Company", "inn": LEGAL})
			company.fill_from_registry()
		call.assert_called_once_with(DADATA_URL, "dadata-token", {"query": LEGAL, "branch_type": "MAIN"})
		self.assertEqual(company.company_name, 'ООО "РОМАШКА"')

	def test_dadata_without_a_token_is_not_called(self):
		fresh_settings(company_registry_enabled=1)
		with patch.object(company_registry.requests, "post") as post:
			with self.assertRaises(RegistryError) as caught:
				company_registry.lookup(LEGAL)
		self.assertIn("Register API Token", str(caught.exception))
		post.assert_not_called()
