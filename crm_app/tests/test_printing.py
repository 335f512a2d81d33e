"""The Deal Invoice and Commercial Offer print formats on the real site, HTML and PDF."""

import io

import frappe

from crm_app.tests import CRMTestCase
from crm_app.tests.utils import make_company, make_deal, make_item, set_settings

HOSTILE = "<img src=x onerror=alert(1)>"
# Frappe strips markup from Data fields on save, so a name keeps only its text; what
# remains must still print escaped.
NAME = 'Рога & "Копыта"'


class TestPrintFormats(CRMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		set_settings(
			seller_legal_name='ООО "Поставщик"',
			seller_inn="7707083893",
			seller_bank_name="ПАО Сбербанк",
			seller_bik="044525225",
			seller_director="Иванов И. И.",
			prices_include_vat=1,
			default_vat_rate=20,
			erpnext_enabled=0,
		)
		item = make_item(item_name="Насос ЭЦВ", standard_rate=1200, standard_vat_rate=0, vat_rate=20).name
		exempt = make_item(item_name="Доставка", standard_rate=300, vat_exempt=1).name
		company = make_company(company_name=NAME).name
		cls.deal = make_deal(
			company,
			items=[{"catalog_item": item, "qty": 2}, {"catalog_item": exempt, "qty": 1}],
			currency="RUB",
			notes="{{ 7*7 }}",
			title="Поставка {{ 7*7 }}",
		)

	def tearDown(self):
		self.use_language("en")

	def use_language(self, lang: str):
		frappe.local.lang = lang
		frappe.local.form_dict["_lang"] = lang

	def html(self, fmt: str, lang: str = "ru") -> str:
		self.use_language(lang)
		return frappe.get_print("Deal", self.deal.name, print_format=fmt)

	def test_invoice_html(self):
		html = self.html("Deal Invoice")
		self.assertIn("Счёт на оплату", html)
		self.assertIn("ООО &#34;Поставщик&#34;", html)
		self.assertIn("Рога &amp; &#34;Копыта&#34;", html)
		self.assertNotIn(NAME, html)
		self.assertIn("В том числе НДС 20%", html)
		self.assertIn("Две тысячи семьсот рублей, ноль копеек", html)  # 2400 + 300
		self.assertIn(self.deal.name, html)

	def test_offer_html(self):
		html = self.html("Commercial Offer")
		self.assertIn("Коммерческое предложение", html)
		self.assertIn("{{ 7*7 }}", html)
		self.assertNotIn(NAME, html)
		self.assertIn("Без НДС", html)

	def test_english_print(self):
		html = self.html("Deal Invoice", "en")
		self.assertIn("Invoice for payment", html)

	def test_pdf_keeps_cyrillic(self):
		from pypdf import PdfReader

		for fmt, words in (
			("Deal Invoice", "Счёт на оплату"),
			("Commercial Offer", "Коммерческое предложение"),
		):
			self.use_language("ru")
			pdf = frappe.get_print("Deal", self.deal.name, print_format=fmt, as_pdf=True)
			self.assertTrue(pdf.startswith(b"%PDF"), fmt)
			text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
			self.assertIn(words, " ".join(text.split()), fmt)

	def test_markup_cannot_be_stored_as_a_name(self):
		with self.assertRaises(frappe.MandatoryError):
			make_company(company_name=HOSTILE)
