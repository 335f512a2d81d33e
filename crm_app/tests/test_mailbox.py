"""Requests by e-mail: an incoming Email Account with Append To = Deal. Mails are
fed to Frappe's own receiver (InboundMail), as the scheduler's pull would."""

from email.message import EmailMessage
from email.utils import make_msgid

import frappe
from frappe.core.doctype.communication.email import make as send_from_document
from frappe.email.receive import InboundMail

from crm_app.tests import CRMTestCase
from crm_app.tests.utils import make_company, make_contact, set_settings

INBOX = "sales@crm-app-inbox.test"


def raw_mail(sender: str, subject: str, body: str, in_reply_to: str | None = None) -> tuple[str, bytes]:
	message = EmailMessage()
	message["From"] = sender
	message["To"] = INBOX
	message["Subject"] = subject
	message_id = make_msgid(domain="client.test")
	message["Message-ID"] = message_id
	if in_reply_to:
		message["In-Reply-To"] = f"<{in_reply_to.strip('<>')}>"
	message.set_content(body)
	return message_id.strip("<>"), message.as_bytes()


def ensure_inbox():
	"""The test site's incoming Email Account with Append To = Deal."""
	set_settings(erpnext_enabled=0)
	if not frappe.db.exists("Email Account", "CRM App Test Inbox"):
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": "CRM App Test Inbox",
				"email_id": INBOX,
				"enable_incoming": 1,
				"use_imap": 0,
				"append_to": "Deal",
				"awaiting_password": 1,
			}
		).insert(ignore_permissions=True)
	return frappe.get_doc("Email Account", "CRM App Test Inbox")


class MailboxTestCase(CRMTestCase):
	"""The test inbox, and mails fed to Frappe's own receiver."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.account = ensure_inbox()

	def receive(self, raw: bytes):
		return InboundMail(raw, self.account).process()


class TestMailbox(MailboxTestCase):
	def test_deal_is_appendable_by_mail(self):
		from frappe.email.doctype.email_account.email_account import get_append_to

		self.assertIn(["Deal"], get_append_to())
		meta = frappe.get_meta("Deal")
		self.assertEqual((meta.sender_field, meta.subject_field), ("contact_email", "title"))

	def test_new_mail_opens_a_deal_and_replies_thread_into_it(self):
		sender = f"olga-{frappe.generate_hash(length=6)}@client.test"
		first_id, raw = raw_mail(f"Olga Sidorova <{sender}>", "Quote for 3 pumps", "Please send a quote.")
		communication = self.receive(raw)
		self.assertEqual(communication.reference_doctype, "Deal")
		deal = frappe.get_doc("Deal", communication.reference_name)
		self.assertEqual(
			(deal.stage, deal.source, deal.title), ("Request Received", "Email", "Quote for 3 pumps")
		)
		self.assertNotEqual(deal.responsible, "Administrator")
		contact = frappe.get_doc("Client Contact", deal.contact)
		self.assertEqual((contact.email, contact.company), (sender, deal.client_company))
		self.assertIn("Olga Sidorova", contact.full_name)
		self.assertEqual(len(deal.stage_history), 1)

		# the client's reply to their own mail
		_, reply = raw_mail(sender, "Re: Quote for 3 pumps", "Also 2 filters.", in_reply_to=first_id)
		self.assertEqual(self.receive(reply).reference_name, deal.name)

		# a letter sent from the deal is in its timeline, and the answer to it too
		sent = send_from_document(
			doctype="Deal",
			name=deal.name,
			recipients=sender,
			subject="Our offer",
			content="Offer attached.",
			send_email=False,
		)
		sent_id = frappe.db.get_value("Communication", sent["name"], "message_id")
		_, answer = raw_mail(sender, "Re: Our offer", "Agreed.", in_reply_to=sent_id)
		self.assertEqual(self.receive(answer).reference_name, deal.name)

		timeline = frappe.get_all(
			"Communication",
			filters={"reference_doctype": "Deal", "reference_name": deal.name},
			fields=["sent_or_received"],
			order_by="creation asc",
		)
		self.assertEqual([c.sent_or_received for c in timeline], ["Received", "Received", "Sent", "Received"])
		self.assertEqual(frappe.db.count("Deal", {"contact_email": sender}), 1)

	def test_a_known_sender_keeps_their_company(self):
		company = make_company()
		contact = make_contact(company.name, email=f"known-{frappe.generate_hash(length=6)}@client.test")
		_, raw = raw_mail(contact.email.upper(), "New order", "Same as last time.")
		deal = frappe.get_doc("Deal", self.receive(raw).reference_name)
		self.assertEqual((deal.client_company, deal.contact), (company.name, contact.name))
		self.assertEqual(frappe.db.count("Client Contact", {"email": contact.email}), 1)

	def test_mail_requests_are_assigned_like_web_requests(self):
		from crm_app.documents.assignment import CONDITION, RULE

		self.assertEqual(frappe.db.get_value("Assignment Rule", RULE, "assign_condition"), CONDITION)
		self.assertTrue(frappe.safe_eval(CONDITION, None, {"source": "Email", "responsible": None}))
		self.assertFalse(frappe.safe_eval(CONDITION, None, {"source": "Phone", "responsible": None}))
		self.assertFalse(
			frappe.safe_eval(CONDITION, None, {"source": "Email", "responsible": "someone@x.test"})
		)

	def test_sites_with_a_shipped_condition_take_the_current_one(self):
		from crm_app.documents.assignment import CONDITION, EARLIER_CONDITIONS, RULE
		from crm_app.patches.v0_7 import assign_only_unowned_requests

		for earlier in EARLIER_CONDITIONS:
			frappe.db.set_value("Assignment Rule", RULE, "assign_condition", earlier)
			assign_only_unowned_requests.execute()
			self.assertEqual(frappe.db.get_value("Assignment Rule", RULE, "assign_condition"), CONDITION)
		own = 'source == "Phone"'
		frappe.db.set_value("Assignment Rule", RULE, "assign_condition", own)
		assign_only_unowned_requests.execute()
		self.assertEqual(frappe.db.get_value("Assignment Rule", RULE, "assign_condition"), own)
