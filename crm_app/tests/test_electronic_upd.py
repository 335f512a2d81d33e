"""The electronic UPD of a paid deal (crm_app.documents.edo): a private File attached to
the deal, valid against the FNS schema of format 5.03, named as its ИдФайл, made once; a
clear error and nothing attached where an EDO ID is missing; refused before payment and
to a user who may not print the deal."""

import os
from pathlib import Path

import frappe
from frappe.model.workflow import apply_workflow

from crm_app.documents.edo import electronic_upd
from crm_app.tests import CRMTestCase
from crm_app.tests.test_closing_documents import SELLER
from crm_app.tests.utils import fresh_settings, make_company, make_deal, make_item, make_user, set_settings

SCHEMA = "reference/fns/ON_NSCHFDOPPR_1_997_01_05_03_05.xsd"
BUYER_EDO = "2BM-7705033150-770501001-201409100000000000000"
SELLER_EDO = "2BE-7707083893-773601001"
OUTSIDER = "crm-edo-outsider@example.com"


def schema():
	from lxml import etree

	shared = Path(os.environ.get("CRM_APP_SHARED_DIR") or "/nonexistent")
	path = shared / SCHEMA
	if not path.exists():
		raise AssertionError(
			f"the FNS schema is not at {path}: set CRM_APP_SHARED_DIR (.ci/bench-layer does)"
		)
	return etree.XMLSchema(etree.parse(str(path)))


class TestElectronicUpd(CRMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(OUTSIDER, ["Sales User"])

	def setUp(self):
		fresh_settings(**SELLER, erpnext_enabled=0, seller_edo_id=SELLER_EDO, own_deals_only=1)
		self.company = make_company(
			company_name='АО "Покупатель"', inn="7705033150", kpp="770501001", edo_id=BUYER_EDO,
			address="125009, г. Москва, ул. Тверская, д. 1",
		)  # fmt: skip
		product = make_item(item_name="Насос «Вихрь»", standard_rate=12200, uom="Nos")
		reduced = make_item(item_name="Книга", standard_rate=110, standard_vat_rate=0, vat_rate=10, uom="Nos")
		self.deal = make_deal(
			self.company.name,
			items=[{"catalog_item": product.name, "qty": 2}, {"catalog_item": reduced.name, "qty": 1}],
			prices_include_vat=1,
		)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def pay(self):
		for action in ("Start Negotiation", "Issue Invoice", "Confirm Payment"):
			apply_workflow(frappe.get_doc("Deal", self.deal.name).as_dict(), action)

	def test_a_paid_deal_gets_one_valid_file(self):
		from lxml import etree

		self.pay()
		result = electronic_upd(self.deal.name)
		file = frappe.get_doc("File", {"file_url": result["file_url"]})
		self.assertEqual((file.attached_to_doctype, file.attached_to_name), ("Deal", self.deal.name))
		self.assertTrue(file.is_private)
		with open(file.get_full_path(), "rb") as f:  # the bytes as written, not text guessed from them
			data = f.read()
		self.assertTrue(data.startswith(b"<?xml version='1.0' encoding='windows-1251'?>"))
		root = etree.fromstring(data)
		schema().assertValid(root)
		self.assertEqual(result["file_name"], root.get("ИдФайл") + ".xml")
		self.assertTrue(root.get("ИдФайл").startswith(f"ON_NSCHFDOPPR_{BUYER_EDO}_{SELLER_EDO}_"))
		body = root.find("Документ")
		self.assertEqual(body.get("Функция"), "СЧФДОП")
		self.assertEqual([r.get("НалСт") for r in body.iter("СведТов")], ["22%", "10%"])
		deal = frappe.get_doc("Deal", self.deal.name)
		self.assertEqual(body.find("СвСчФакт").get("НомерДок"), deal.transfer_document_number)
		self.assertEqual(body.find("ТаблСчФакт/ВсегоОпл").get("СтТовУчНалВсего"), f"{deal.grand_total:.2f}")
		self.assertEqual(body.find("ТаблСчФакт/ВсегоОпл/СумНалВсего/СумНал").text, f"{deal.vat_total:.2f}")
		self.assertEqual(body.find("СвСчФакт/СвПокуп/ИдСв/СвЮЛУч").get("ИННЮЛ"), "7705033150")
		self.assertEqual(body.find("Подписант/ФИО").get("Фамилия"), "Иванов")
		# asked again: the same document, not a second one
		self.assertEqual(electronic_upd(self.deal.name), result)
		self.assertEqual(
			frappe.db.count("File", {"attached_to_doctype": "Deal", "attached_to_name": self.deal.name}), 1
		)

	def test_missing_edo_ids_are_named_and_nothing_is_attached(self):
		self.pay()
		frappe.db.set_value("Client Company", self.company.name, "edo_id", None)
		set_settings(seller_edo_id=None)
		with self.assertRaises(frappe.ValidationError) as raised:
			electronic_upd(self.deal.name)
		message = str(raised.exception)
		self.assertIn("Seller EDO ID", message)
		self.assertIn("EDO ID of", message)
		self.assertFalse(
			frappe.db.exists("File", {"attached_to_doctype": "Deal", "attached_to_name": self.deal.name})
		)

	def test_refused_before_payment_and_to_who_may_not_print(self):
		with self.assertRaises(frappe.ValidationError):
			electronic_upd(self.deal.name)
		self.pay()
		frappe.set_user(OUTSIDER)
		with self.assertRaises(frappe.PermissionError):
			electronic_upd(self.deal.name)
		frappe.set_user("Administrator")
		self.assertFalse(
			frappe.db.exists("File", {"attached_to_doctype": "Deal", "attached_to_name": self.deal.name})
		)

	def test_over_rest_as_the_desk_calls_it(self):
		from crm_app.tests.utils import api_token, rest

		self.pay()
		token = api_token("Administrator")
		frappe.db.commit()
		try:
			response = rest("post", "/api/method/crm_app.documents.edo.electronic_upd", token,
							json={"deal": self.deal.name})  # fmt: skip
			self.assertEqual(response.status_code, 200, response.text)
			self.assertTrue(response.json["message"]["file_name"].startswith("ON_NSCHFDOPPR_"))
		finally:
			frappe.delete_doc("Deal", self.deal.name, force=True, ignore_permissions=True)
			frappe.delete_doc("Client Company", self.company.name, force=True, ignore_permissions=True)
			for name in frappe.get_all("File", {"file_name": ("like", "ON_NSCHFDOPPR%")}, pluck="name"):
				frappe.delete_doc("File", name, force=True, ignore_permissions=True)
			frappe.db.commit()
