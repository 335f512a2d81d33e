"""Russian paperwork without Frappe: the invoice's payment QR code (GOST R 56042-2014),
units by OKEI, countries by OKSM, and the Universal Transfer Document and Act of
Completed Works rendered through Jinja as Frappe renders them."""

import io
import json

import pytest
from jinja2.sandbox import SandboxedEnvironment

from crm_app.catalog.units import default_rows, find_unit, unit_text
from crm_app.documents import payment_qr
from crm_app.documents.countries import country_for_print
from crm_app.documents.print_context import build_context
from tests.test_print_formats import FORMATS, HOSTILE, SELLER

UNITS = default_rows()


def sample_values(**overrides):
	purpose = payment_qr.invoice_purpose(
		"ACC-SINV-2026-00015", "01.12.2026", [{"rate": 20.0, "amount": 400.0}], False
	)
	seller = dict(SELLER, **overrides)
	return payment_qr.invoice_values(seller, 2400, purpose)


def test_payload_of_a_sample_invoice():
	text = payment_qr.payload(sample_values())
	assert text == (
		'ST00012|Name=ООО "Поставщик"|PersonalAcc=40702810938000000001|BankName=ПАО Сбербанк'
		"|BIC=044525225|CorrespAcc=30101810400000000225|PayeeINN=7707083893|KPP=773601001"
		"|Sum=240000|Purpose=Оплата по счёту № ACC-SINV-2026-00015 от 01.12.2026, в т.ч. НДС (20%) 400,00"
	)
	assert payment_qr.parse(text)["Sum"] == "240000"


def test_purpose_without_vat_and_several_rates():
	assert payment_qr.invoice_purpose("1", "02.12.2026", [], True).endswith(", НДС не облагается")
	text = payment_qr.invoice_purpose(
		"2", "02.12.2026", [{"rate": 10, "amount": 40.91}, {"rate": 20, "amount": 400}], False
	)
	assert text == "Оплата по счёту № 2 от 02.12.2026, в т.ч. НДС (10%) 40,91, НДС (20%) 400,00"


def test_a_value_holding_the_separator_moves_the_separator():
	values = sample_values(legal_name='ООО "Лес|Дом"')
	text = payment_qr.payload(values)
	separator = text[7]
	assert separator != "|" and text.startswith("ST0001" + "2")
	assert payment_qr.parse(text)["Name"] == 'ООО "Лес|Дом"'
	assert len(text.split(separator)) == 1 + len(values)


def test_the_separator_is_never_the_equals_sign():
	assert "=" not in payment_qr.SEPARATORS
	values = sample_values(legal_name="ООО " + payment_qr.SEPARATORS[:-1] + " Тест")
	text = payment_qr.payload(values)
	assert text[7] == payment_qr.SEPARATORS[-1]
	assert payment_qr.parse(text)["Name"] == values["Name"]


def test_no_free_separator_is_refused():
	values = sample_values()
	values["Purpose"] = payment_qr.SEPARATORS
	with pytest.raises(payment_qr.PaymentQRError):
		payment_qr.payload(values)


def test_required_values_and_lengths():
	with pytest.raises(payment_qr.PaymentQRError, match="BIC"):
		payment_qr.payload({"Name": "x", "PersonalAcc": "1" * 20, "BankName": "b", "CorrespAcc": "0"})
	values = sample_values()
	values["Purpose"] = "Оплата " * 60
	parsed = payment_qr.parse(payment_qr.payload(values))
	assert len(parsed["Purpose"]) == 210
	assert list(parsed)[:5] == list(payment_qr.REQUIRED)


@pytest.mark.parametrize(
	"change",
	[
		{"bik": ""},
		{"bik": "04452522"},
		{"settlement_account": "4070281093800000000"},
		{"correspondent_account": ""},
		{"bank_name": " "},
		{"legal_name": ""},
	],
)
def test_incomplete_bank_requisites_give_no_code(change):
	assert sample_values(**change) is None


def test_no_code_for_nothing_to_pay():
	assert payment_qr.invoice_values(SELLER, 0, "x") is None


def test_kopecks_round_half_up():
	assert payment_qr.kopecks(1234.565) == 123457
	assert payment_qr.kopecks("0.1") == 10
	assert payment_qr.kopecks(None) == 0


def test_the_image_decodes_back_to_the_payload():
	zxingcpp = pytest.importorskip("zxingcpp")
	from PIL import Image

	text = payment_qr.payload(sample_values(legal_name='ООО "Лес|Дом"'))
	image = Image.open(io.BytesIO(payment_qr.png(text)))
	decoded = zxingcpp.read_barcodes(image)
	assert [d.text for d in decoded] == [text]
	assert payment_qr.data_uri(text).startswith("data:image/png;base64,")


def test_units_by_okei():
	assert ("Nos", "796", "шт") in [(u["uom"], u["okei_code"], u["short_name_ru"]) for u in UNITS]
	assert find_unit(" nos ", UNITS)["okei_code"] == "796"
	assert find_unit("шт", UNITS)["uom"] == "Nos"
	assert find_unit("006", UNITS)["short_name_ru"] == "м"
	assert find_unit("Box", UNITS) is None
	assert unit_text("Hour", UNITS) == {"code": "356", "name": "ч"}
	assert unit_text("Hour", UNITS, "en") == {"code": "356", "name": "Hour"}
	assert unit_text("Box", UNITS) == {"code": "", "name": "Box"}


def test_countries_by_oksm():
	assert country_for_print("cn") == {"code": "156", "name": "Китай"}
	assert country_for_print("DE", "en") == {"code": "276", "name": "Germany"}
	assert country_for_print("") == {"code": "", "name": ""}
	assert country_for_print("zz") == {"code": "", "name": ""}


def deal(**overrides):
	values = {
		"currency": "RUB",
		"prices_include_vat": 1,
		"items": [
			{
				"catalog_item": "PUMP-1",
				"item_name": "Насос " + HOSTILE,
				"qty": 2,
				"uom": "Nos",
				"rate": 1200,
				"vat_rate": 20,
				"item_type": "Product",
				"country_of_origin": "Китай",
				"country_code": "156",
				"customs_declaration": "10702070/011226/0012345",
			},
			{
				"item_name": "Монтаж {{ 7*7 }}",
				"qty": 1,
				"uom": "Hour",
				"rate": 600,
				"vat_rate": 20,
				"item_type": "Service",
			},
		],
	}
	values.update(overrides)
	return values


def closing_context(document, upd_status=1, lang="ru", **deal_overrides):
	data = deal(**deal_overrides)
	if document == "act":
		data["items"] = [i for i in data["items"] if i.get("item_type") == "Service"]
	ctx = build_context(
		data,
		SELLER,
		{"company_name": "ООО Покупатель", "inn": "500100732259", "director": HOSTILE},
		lang,
		2,
		UNITS,
	)
	ctx.update(
		{
			"document": document,
			"number": "ACC-SINV-2026-00015",
			"date": "01.12.2026",
			"invoice_number": "ACC-SINV-2026-00015",
			"invoice_date": "01.12.2026",
			"shipment_date": "03.12.2026",
			"upd_status": upd_status,
			"title": "Поставка",
			"deal": "DEAL-2026-00001",
			"currency_name": "Российский рубль",
			"currency_code": "643",
		}
	)
	return ctx


def render(fmt, ctx):
	html = json.loads((FORMATS / fmt / f"{fmt}.json").read_text())["html"]
	env = SandboxedEnvironment()
	env.globals.update({"_": lambda text: text, "closing_document_context": lambda doc, document: ctx})
	return env.from_string(html).render(doc={})


@pytest.mark.parametrize(
	"fmt, name",
	[
		("universal_transfer_document", "Universal Transfer Document"),
		("act_of_completed_works", "Act of Completed Works"),
	],
)
def test_records(fmt, name):
	record = json.loads((FORMATS / fmt / f"{fmt}.json").read_text())
	assert (record["name"], record["doc_type"], record["standard"], record["module"]) == (
		name,
		"Deal",
		"Yes",
		"CRM App",
	)
	assert record["default_print_language"] == "ru"


def test_transfer_document_lines_and_totals():
	ctx = closing_context("transfer")
	html = render("universal_transfer_document", ctx)
	assert "orientation: Landscape" in html
	assert HOSTILE not in html and "&lt;img src=x" in html
	assert "{{ 7*7 }}" in html and "49" not in html.replace("1449", "")
	# 2 x 1200 incl. VAT 20%: 2000 net, 400 VAT; the unit by OKEI, the origin by OKSM
	pump = ctx["lines"][0]
	assert (pump["net_amount_text"], pump["vat_amount_text"], pump["gross_amount_text"]) == (
		"2\u00a0000,00",
		"400,00",
		"2\u00a0400,00",
	)
	assert pump["net_price_text"] == "1\u00a0000,00"
	for text in (
		"796",
		"шт",
		"156",
		"Китай",
		"10702070/011226/0012345",
		"643",
		"Российский рубль",
		"without excise",
		"20%",
	):
		assert text in html, text
	# the service line has no origin: dashes
	assert html.count('<td class="c">—</td>') >= 3
	assert ctx["net_total_text"] in html and ctx["vat_total_text"] in html and ctx["grand_total_text"] in html
	assert '<span class="status">1</span>' in html


def test_transfer_document_status_2_prints_without_vat():
	items = [dict(item, vat_exempt=1, vat_rate=0) for item in deal()["items"]]
	ctx = closing_context("transfer", upd_status=2, items=items)
	html = render("universal_transfer_document", ctx)
	assert '<span class="status">2</span>' in html
	assert html.count("without VAT") == 5  # rate and amount of each line and the total
	# without VAT the cost without tax is the cost with tax
	assert [(line["net_amount_text"], line["gross_amount_text"]) for line in ctx["lines"]] == [
		("2\u00a0400,00", "2\u00a0400,00"),
		("600,00", "600,00"),
	]


def test_transfer_document_shows_the_vat_its_lines_carry():
	html = render("universal_transfer_document", closing_context("transfer"))
	assert "without VAT" not in html
	assert html.count("400,00") >= 1 and "20%" in html


def test_act_lists_the_service_lines_only():
	ctx = closing_context("act")
	html = render("act_of_completed_works", ctx)
	assert [line["item_name"] for line in ctx["lines"]] == ["Монтаж {{ 7*7 }}"]
	assert "Насос" not in html
	assert "<td>ч</td>" in html and "Act No. {0} dated {1}" not in html
	assert "ACC-SINV-2026-00015" in html
	assert "Шестьсот рублей, ноль копеек" in html
	assert "rendered in full and on time" in html
	assert HOSTILE not in html


def test_act_draft_without_a_number():
	ctx = closing_context("act")
	ctx["number"] = ""
	assert "Act (draft)" in render("act_of_completed_works", ctx)


def test_invoice_prints_the_payment_code_and_russian_units():
	from tests.test_print_formats import render as render_invoice

	ctx = closing_context("transfer")
	ctx.update({"payment_qr": "data:image/png;base64,AAAA", "count": 2, "in_words": "x"})
	html = render_invoice("deal_invoice", ctx)
	assert '<img src="data:image/png;base64,AAAA"' in html
	assert "<td>шт</td>" in html and "Nos" not in html
	ctx["payment_qr"] = ""
	assert "<img" not in render_invoice("deal_invoice", ctx)


@pytest.mark.parametrize("fmt", ["universal_transfer_document", "act_of_completed_works"])
def test_every_string_has_a_russian_translation(fmt):
	import re

	from tests.test_print_formats import russian

	html = json.loads((FORMATS / fmt / f"{fmt}.json").read_text())["html"]
	strings = set(re.findall(r'_\("((?:[^"\\]|\\.)*)"\)', html))
	assert strings
	assert not strings - set(russian())
