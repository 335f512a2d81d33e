"""SMS at the stages through SMS Settings, against a stub gateway on 127.0.0.1."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse

import frappe

from crm_app.tests import CRMTestCase
from crm_app.tests.utils import make_company, make_contact, make_deal, make_item, set_settings

RECEIVED: list[dict] = []


class Gateway(BaseHTTPRequestHandler):
	def do_GET(self):
		RECEIVED.append({k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()})
		self.send_response(200)
		self.end_headers()
		self.wfile.write(b"OK")

	def log_message(self, *args):
		pass


def configure_gateway(url: str):
	"""SMS Settings pointing at `url`, GET with `text` and `to` parameters."""
	settings = frappe.get_single("SMS Settings")
	settings.sms_gateway_url = url
	settings.message_parameter = "text"
	settings.receiver_parameter = "to"
	settings.use_post = 0
	settings.save(ignore_permissions=True)


class TestStageSms(CRMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.server = HTTPServer(("127.0.0.1", 0), Gateway)
		threading.Thread(target=cls.server.serve_forever, daemon=True).start()
		cls.configure(f"http://127.0.0.1:{cls.server.server_port}/send")

	@classmethod
	def tearDownClass(cls):
		cls.server.shutdown()
		super().tearDownClass()

	@staticmethod
	def configure(url: str):
		configure_gateway(url)

	def setUp(self):
		RECEIVED.clear()
		self.configure(f"http://127.0.0.1:{self.server.server_port}/send")
		set_settings(erpnext_enabled=0, default_phone_region="RU")

	@staticmethod
	def commit_callbacks():
		"""What a commit runs after COMMIT (without committing the test's data)."""
		frappe.db.after_commit.run()

	def deal_for(self, sms_opt_in: int, mobile: str):
		company = make_company().name
		contact = make_contact(company, mobile=mobile, sms_opt_in=sms_opt_in)
		return make_deal(
			company,
			contact=contact.name,
			items=[{"catalog_item": make_item(standard_rate=100).name, "qty": 1}],
			currency="RUB",
		)

	def move(self, deal, *stages):
		for stage in stages:
			doc = frappe.get_doc("Deal", deal.name)
			doc.stage = stage
			doc.save()

	def test_sms_only_to_opted_in_contacts_at_their_stages(self):
		agreed = self.deal_for(1, "+79161112233")
		refused = self.deal_for(0, "+79164445566")
		for deal in (agreed, refused):
			self.move(deal, "Negotiation")
		self.assertEqual(RECEIVED, [])
		for deal in (agreed, refused):
			self.move(deal, "Invoice Issued")
		self.assertEqual(RECEIVED, [], "nothing is sent before the change commits")
		self.commit_callbacks()
		self.assertEqual([r["to"] for r in RECEIVED], ["+79161112233"])
		self.assertIn(agreed.title, RECEIVED[0]["text"])
		if frappe.db.exists("DocType", "SMS Log"):  # ERPNext's
			self.assertTrue(frappe.db.exists("SMS Log", {"sent_to": ("like", "%79161112233%")}))
		else:
			comments = frappe.get_all(
				"Comment", filters={"reference_name": agreed.name, "comment_type": "Info"}, pluck="content"
			)
			self.assertTrue(any("79161112233" in c for c in comments), comments)

	def test_gateway_down_does_not_block_the_stage(self):
		deal = self.deal_for(1, "+79167778899")
		self.configure("http://127.0.0.1:9/send")  # nothing listens there
		try:
			errors = frappe.db.count("Error Log")
			self.move(deal, "Negotiation", "Invoice Issued")
			self.commit_callbacks()
			self.assertEqual(frappe.db.get_value("Deal", deal.name, "stage"), "Invoice Issued")
			self.assertGreater(frappe.db.count("Error Log"), errors)
		finally:
			self.configure(f"http://127.0.0.1:{self.server.server_port}/send")

	def test_a_rolled_back_change_sends_nothing(self):
		deal = self.deal_for(1, "+79160001122")
		self.move(deal, "Negotiation", "Invoice Issued")
		frappe.db.rollback()
		self.commit_callbacks()  # a later commit of other work
		self.assertEqual(RECEIVED, [])
		self.assertFalse(frappe.db.exists("Deal", deal.name))
