"""Letters to the client at the stages: consent respected, PDF attached, failures never block."""

import frappe

from crm_app.compat import clear_cached_notifications
from crm_app.tests import CRMTestCase
from crm_app.tests.utils import make_company, make_contact, make_deal, make_item, set_settings

LETTERS = (
	"Commercial Offer Letter",
	"Invoice Letter",
	"Payment Reminder",
	"Thank You for Payment",
	"Shipment Notice",
)


def outgoing_account():
	if not frappe.db.exists("Email Account", "CRM Test Outgoing"):
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": "CRM Test Outgoing",
				"email_id": "crm-outgoing@example.com",
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"smtp_server": "127.0.0.1",
				"smtp_port": 2525,
				"login_id": "crm-outgoing@example.com",
				"password": "x",
			}
		).insert(ignore_permissions=True)


class TestStageLetters(CRMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		outgoing_account()
		set_settings(erpnext_enabled=0, prices_include_vat=1, default_vat_rate=20)
		cls.item = make_item(standard_rate=1000).name

	def deal_for(self, email_opt_in: int):
		company = make_company().name
		contact = make_contact(
			company, email=f"client-{frappe.generate_hash(length=6)}@example.com", email_opt_in=email_opt_in
		)
		deal = make_deal(
			company, contact=contact.name, items=[{"catalog_item": self.item, "qty": 1}], currency="RUB"
		)
		return deal, contact

	def move(self, deal, *stages):
		for stage in stages:
			doc = frappe.get_doc("Deal", deal.name)
			doc.stage = stage
			doc.save()

	def queued_to(self, email: str):
		return frappe.get_all(
			"Email Queue",
			filters={"reference_doctype": "Deal", "message": ("like", f"%{email}%")},
			fields=["name", "attachments"],
		) or [
			q
			for q in frappe.get_all(
				"Email Queue", filters={"reference_doctype": "Deal"}, fields=["name", "attachments"]
			)
			if email in frappe.get_all("Email Queue Recipient", filters={"parent": q.name}, pluck="recipient")
		]

	def test_letter_templates_are_installed(self):
		for name in LETTERS:
			self.assertTrue(frappe.db.exists("Email Template", name), name)

	def test_invoice_letter_with_pdf_to_an_opted_in_contact_only(self):
		agreed, agreed_contact = self.deal_for(email_opt_in=1)
		refused, refused_contact = self.deal_for(email_opt_in=0)
		for deal in (agreed, refused):
			self.move(deal, "Negotiation", "Invoice Issued")
		queued = self.queued_to(agreed_contact.email)
		self.assertEqual(len(queued), 1)
		self.assertIn("Deal Invoice", queued[0].attachments or "")
		self.assertFalse(self.queued_to(refused_contact.email))

	def test_paid_letter_and_responsible_notified(self):
		from crm_app.tests.utils import make_user

		responsible = make_user("crm-letters-owner@example.com", ["Sales User"])
		deal, contact = self.deal_for(email_opt_in=1)
		frappe.db.set_value("Deal", deal.name, "responsible", responsible)
		self.move(deal, "Negotiation", "Invoice Issued", "Invoice Paid")
		self.assertEqual(len(self.queued_to(contact.email)), 2)  # invoice, then thanks
		logs = {"document_type": "Deal", "document_name": deal.name, "for_user": responsible}
		self.assertTrue(frappe.db.exists("Notification Log", logs))

	def test_a_broken_template_does_not_block_the_stage(self):
		deal, _contact = self.deal_for(email_opt_in=1)
		self.move(deal, "Negotiation")
		original = frappe.db.get_value("Email Template", "Invoice Letter", "response_html")
		errors = frappe.db.count("Error Log")
		frappe.db.set_value("Email Template", "Invoice Letter", "response_html", "{{ broken ")
		try:
			self.move(deal, "Invoice Issued")
			self.assertEqual(frappe.db.get_value("Deal", deal.name, "stage"), "Invoice Issued")
			self.assertGreater(frappe.db.count("Error Log"), errors)
		finally:
			frappe.db.set_value("Email Template", "Invoice Letter", "response_html", original)

	def test_an_edited_notification_takes_effect_at_once(self):
		"""The app reads Notification records from Frappe's document cache: what an admin
		does in the desk (disable the standard one, duplicate it and edit the copy) reaches
		the next save."""
		deal, contact = self.deal_for(email_opt_in=1)
		self.move(deal, "Negotiation")
		standard = frappe.get_doc("Notification", "Deal Invoice Issued")
		standard.enabled = 0
		standard.save()
		try:
			self.move(deal, "Invoice Issued")
			self.assertFalse(self.queued_to(contact.email))
			copy = frappe.copy_doc(standard)
			copy.update(
				{"name": "Deal Invoice Issued (ours)", "is_standard": 0, "enabled": 1, "module": None}
			)
			copy.subject = "Our own invoice letter"
			copy.insert()
			other, other_contact = self.deal_for(email_opt_in=1)
			self.move(other, "Negotiation", "Invoice Issued")
			self.assertEqual(len(self.queued_to(other_contact.email)), 1)
		finally:
			frappe.delete_doc_if_exists("Notification", "Deal Invoice Issued (ours)")
			# a standard notification is enabled again by a migrate (or in developer mode)
			frappe.db.set_value("Notification", standard.name, "enabled", 1)
			clear_cached_notifications("Deal")
