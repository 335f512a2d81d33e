"""The main job on a site configured only as the README says.

Starts from CRM App Settings as a freshly installed site has them, then sets only what
the README asks for: with ERPNext, "Post Deals to ERPNext", the company and a VAT
account. Every other setting stays empty and takes its documented fallback. `.ci/bench-
tests` also runs this module (and erpnext_integration/tests/test_out_of_the_box.py) on a throwaway site made for the run (`bench new-site`,
ERPNext, crm_app, nothing else), so a default that only a test sets cannot hide.
"""

import io

import frappe
from frappe.model.workflow import apply_workflow

from crm_app.tests import CRMTestCase
from crm_app.tests.test_notifications import outgoing_account
from crm_app.tests.utils import fresh_settings, make_user, random_inn, set_settings

SALES_USER = "crm-fresh-sales@example.com"
MANAGER = "crm-fresh-manager@example.com"
ACCOUNTANT = "crm-fresh-accountant@example.com"


class OutOfTheBoxTestCase(CRMTestCase):
	"""What a user does in the desk, on the settings a fresh install leaves."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		if frappe.conf.get("crm_app_fresh_site"):
			# the throwaway site of .ci/bench-tests: the settings are the install's own
			set_settings(**cls.readme_settings_for_site())
		else:
			fresh_settings(**cls.readme_settings_for_site())
		outgoing_account()  # Frappe's own e-mail setup, which any site that sends mail has
		make_user(SALES_USER, ["Sales User"])
		make_user(MANAGER, ["Sales Manager", "Stock User"])
		make_user(ACCOUNTANT, ["Accounts User"])

	@classmethod
	def readme_settings_for_site(cls) -> dict:
		return {}

	def tearDown(self):
		frappe.set_user("Administrator")

	def as_user(self, user: str, fn, *args, **kwargs):
		frappe.set_user(user)
		try:
			return fn(*args, **kwargs)
		finally:
			frappe.set_user("Administrator")

	def act(self, deal: str, action: str, user: str):
		return self.as_user(user, apply_workflow, frappe.get_doc("Deal", deal).as_dict(), action)

	def client_base(self):
		"""A sales user's first client: company, contact with a switchboard extension and
		consent to e-mail, two catalog items (a product and a service) with the default VAT."""

		def make():
			company = frappe.get_doc(
				{
					"doctype": "Client Company",
					"company_name": f"ООО Ромашка {frappe.generate_hash(length=4)}",
					"entity_type": "Legal Entity",
					"inn": random_inn(),
				}
			).insert()
			contact = frappe.get_doc(
				{
					"doctype": "Client Contact",
					"first_name": "Анна",
					"last_name": "Иванова",
					"company": company.name,
					"email": f"anna-{frappe.generate_hash(length=6)}@example.com",
					"email_opt_in": 1,
					"phone": "+7 495 123-45-67 доб. 123",
				}
			).insert()
			return company, contact

		company, contact = self.as_user(SALES_USER, make)
		items = []
		for item_type, rate in (("Product", 1000), ("Service", 500)):
			items.append(
				frappe.get_doc(
					{
						"doctype": "Catalog Item",
						"item_code": f"FRESH-{item_type}-{frappe.generate_hash(length=5)}",
						"item_name": f"Fresh {item_type}",
						"item_type": item_type,
						"standard_rate": rate,
					}
				)
				.insert()
				.name
			)
		return company, contact, items

	def new_deal(self, company, contact, items, quantities=(2, 1)):
		lines = [{"catalog_item": item, "qty": qty} for item, qty in zip(items, quantities, strict=False)]
		return self.as_user(
			SALES_USER,
			lambda: frappe.get_doc(
				{"doctype": "Deal", "client_company": company.name, "contact": contact.name, "items": lines}
			).insert(),
		)

	def assert_pdfs(self, deal: str):
		from pypdf import PdfReader

		from crm_app.documents.closing import closing_documents

		# The closing documents as the "Print closing documents" button gets them: numbered
		# from the defaults (ERPNext's invoice number where ERPNext posts, else the app's series).
		closing = self.as_user(MANAGER, lambda: closing_documents(deal))
		self.assertEqual(
			[d["print_format"] for d in closing], ["Universal Transfer Document", "Act of Completed Works"]
		)
		self.assertTrue(all(d["number"] for d in closing), closing)
		formats = ("Deal Invoice", "Commercial Offer", *(d["print_format"] for d in closing))
		for print_format in formats:
			pdf = frappe.get_print("Deal", deal, print_format=print_format, as_pdf=True)
			self.assertTrue(pdf.startswith(b"%PDF"), print_format)
			text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
			self.assertIn("Ромашка", text, print_format)
		return closing


class TestOutOfTheBoxWithoutPostings(OutOfTheBoxTestCase):
	"""A fresh install with nothing set: the pipeline, letters and documents work."""

	def test_main_job(self):
		company, contact, items = self.client_base()
		self.assertEqual(
			frappe.db.get_value("Client Contact", contact.name, ["phone", "phone_ext"]),
			("+74951234567", "123"),
		)
		deal = self.new_deal(company, contact, items)
		self.assertEqual(deal.responsible, SALES_USER)
		self.assertEqual(deal.currency, frappe.db.get_default("currency"))
		self.assertEqual(deal.prices_include_vat, 1)  # the declared default
		self.assertEqual([row.vat_rate for row in deal.items], [22, 22])  # the standard rate of 2026
		self.assertEqual(deal.grand_total, 2500)
		self.act(deal.name, "Start Negotiation", SALES_USER)
		self.act(deal.name, "Issue Invoice", SALES_USER)
		self.act(deal.name, "Confirm Payment", MANAGER)
		self.act(deal.name, "Ship Goods", MANAGER)
		doc = frappe.get_doc("Deal", deal.name)
		self.assertEqual(doc.stage, "Goods Shipped")
		self.assertEqual(len(doc.stage_history), 5)
		queued = frappe.get_all(
			"Email Queue", filters={"reference_doctype": "Deal", "reference_name": deal.name}, pluck="name"
		)
		self.assertEqual(len(queued), 3)  # invoice, thanks, shipment
		self.assertTrue(
			frappe.db.exists("Notification Log", {"document_name": deal.name, "for_user": SALES_USER})
		)
		self.assert_pdfs(deal.name)
