"""The public web form Client Request: finds or creates the client, opens a deal."""

import json
import random

import frappe
from frappe.website.doctype.web_form.web_form import accept

from crm_app.tests import CRMTestCase
from crm_app.tests.utils import random_inn, set_settings

WEB_FORM = "Client Request"


def submit(**data):
	"""As a guest would, through the web form's own endpoint."""
	frappe.set_user("Guest")
	try:
		return accept(web_form=WEB_FORM, data=json.dumps({"doctype": "Client Request", **data}))
	finally:
		frappe.set_user("Administrator")


class TestClientRequest(CRMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		set_settings(default_phone_region="RU", erpnext_enabled=0)

	def test_web_form_is_public_on_its_route(self):
		form = frappe.get_doc("Web Form", WEB_FORM)
		self.assertEqual(
			(form.route, form.doc_type, form.login_required, form.published),
			("client-request", "Client Request", 0, 1),
		)

	def test_request_opens_a_deal_and_reuses_the_client(self):
		inn = random_inn()
		email = f"buyer-{frappe.generate_hash(length=6)}@example.com"
		first = submit(
			full_name="Анна Смирнова", company_name="ООО Луч", inn=inn, email=email, message="Нужен насос"
		)
		deal = frappe.get_doc("Deal", frappe.db.get_value("Client Request", first.name, "deal"))
		self.assertEqual((deal.stage, deal.source), ("Request Received", "Web Form"))
		self.assertNotEqual(deal.responsible, "Guest")
		self.assertEqual(frappe.db.get_value("Client Company", deal.client_company, "inn"), inn)
		self.assertEqual(frappe.db.get_value("Client Contact", deal.contact, "email"), email)
		self.assertIn("Нужен насос", deal.notes)

		second = submit(full_name="Анна", inn=inn, email=email.upper(), phone="8 916 000-11-22")
		again = frappe.get_doc("Deal", frappe.db.get_value("Client Request", second.name, "deal"))
		self.assertNotEqual(again.name, deal.name)
		self.assertEqual((again.client_company, again.contact), (deal.client_company, deal.contact))

	def test_form_cannot_set_stage_responsible_or_amounts(self):
		request = submit(
			full_name="Mallory",
			email=f"m-{frappe.generate_hash(length=6)}@example.com",
			stage="Invoice Paid",
			responsible="Administrator",
			grand_total=1,
			deal="DEAL-HACK",
		)
		deal = frappe.get_doc("Deal", frappe.db.get_value("Client Request", request.name, "deal"))
		self.assertEqual(deal.stage, "Request Received")
		self.assertEqual(deal.grand_total, 0)
		self.assertNotEqual(deal.name, "DEAL-HACK")

	def test_bad_input_is_refused(self):
		for data in (
			{"full_name": "X", "email": "not-an-email"},
			{"full_name": "X", "phone": "123"},
			{"full_name": "X", "email": "x@example.com", "inn": "7707083894"},
			{"full_name": "X"},
		):
			with self.subTest(data=data), self.assertRaises(frappe.ValidationError):
				submit(**data)


class TestRequestFlood(CRMTestCase):
	"""Guests post to the web form's endpoint over HTTP; Frappe's rate limit (10 a
	minute per address and form) stops a flood before anything is created."""

	def post(self, ip: str, i: int):
		from frappe.tests.test_api import make_request
		from frappe.utils import get_test_client

		data = {
			"doctype": "Client Request",
			"full_name": f"Flood {i}",
			"email": f"flood-{ip}-{i}@example.com",
		}
		return make_request(
			target=get_test_client().post,
			args=("/api/method/frappe.website.doctype.web_form.web_form.accept",),
			kwargs={
				"headers": {"Host": frappe.local.site, "X-Forwarded-For": ip},
				"data": {"web_form": WEB_FORM, "data": json.dumps(data)},
			},
			site=frappe.local.site,
		)

	def setUp(self):
		from crm_app.documents.assignment import RULE

		# The requests run on other connections: forget rule lists cached by
		# earlier tests whose changes were rolled back.
		frappe.get_doc("Assignment Rule", RULE).clear_cache()

	def remove_flood(self):
		for request in frappe.get_all(
			"Client Request",
			filters={"email": ("like", "flood-%")},
			fields=["name", "deal", "client_company"],
		):
			frappe.delete_doc("Client Request", request.name, force=True, ignore_permissions=True)
			frappe.delete_doc("Deal", request.deal, force=True, ignore_permissions=True)
		frappe.db.delete("Client Contact", {"email": ("like", "flood-%")})
		frappe.db.delete("Client Company", {"email": ("like", "flood-%")})
		frappe.db.commit()

	def test_flood_from_one_address_is_cut_off(self):
		ip = f"198.51.100.{random.randint(1, 250)}"
		frappe.cache.delete_keys("rl:")
		self.addCleanup(self.remove_flood)
		statuses = [self.post(ip, i).status_code for i in range(13)]
		frappe.db.commit()  # a fresh snapshot: the requests ran on their own connections
		self.assertEqual(statuses[:10], [200] * 10, statuses)
		self.assertEqual(set(statuses[10:]), {429}, statuses)
		created = frappe.get_all("Client Request", filters={"email": ("like", f"flood-{ip}-%")}, pluck="deal")
		self.assertEqual(len(created), 10)
		self.assertTrue(all(created))
		self.assertEqual(frappe.db.count("Deal", {"name": ("in", created)}), 10)
		# another address is not affected
		self.assertEqual(self.post("203.0.113.7", 99).status_code, 200)


class TestRequestAssignment(CRMTestCase):
	def test_requests_go_round_robin_and_the_assignee_is_responsible(self):
		from crm_app.documents.assignment import RULE
		from crm_app.tests.utils import make_user

		first = make_user("crm-rr-1@example.com", ["Sales User"])
		second = make_user("crm-rr-2@example.com", ["Sales User"])
		rule = frappe.get_doc("Assignment Rule", RULE)
		rule.set("users", [{"user": first}, {"user": second}])
		rule.last_user = None
		rule.disabled = 0
		rule.save()

		responsibles = []
		for i in range(2):
			request = submit(
				full_name=f"Buyer {i}", email=f"rr-{i}-{frappe.generate_hash(length=5)}@example.com"
			)
			deal = frappe.db.get_value("Client Request", request.name, "deal")
			responsibles.append(frappe.db.get_value("Deal", deal, "responsible"))
			self.assertTrue(
				frappe.db.exists("Notification Log", {"document_name": deal, "for_user": responsibles[-1]})
			)
		self.assertEqual(responsibles, [first, second])

	def test_a_deal_a_sales_user_types_stays_theirs(self):
		"""The round robin takes requests nobody owns; a Sales User who types a deal with
		source Email keeps it (handed to another user who may not see it, the save asked
		the typist for a share permission a Sales User lacks)."""
		from crm_app.documents.assignment import RULE
		from crm_app.tests.utils import make_company, make_deal, make_item, make_user

		first = make_user("crm-rr-1@example.com", ["Sales User"])
		typist = make_user("crm-rr-typist@example.com", ["Sales User"])
		rule = frappe.get_doc("Assignment Rule", RULE)
		rule.set("users", [{"user": first}])
		rule.disabled = 0
		rule.save()
		company, item = make_company().name, make_item().name
		frappe.set_user(typist)
		try:
			deal = make_deal(company, [{"catalog_item": item, "qty": 1}], source="Email")
		finally:
			frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Deal", deal.name, "responsible"), typist)
		self.assertFalse(
			frappe.db.exists(
				"ToDo", {"reference_type": "Deal", "reference_name": deal.name, "status": "Open"}
			)
		)
