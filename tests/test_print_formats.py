"""Both print formats rendered through Jinja as Frappe renders them (no autoescape),
with sample data and hostile strings."""

import json
from pathlib import Path

import pytest
from jinja2.sandbox import SandboxedEnvironment

from crm_app.documents.print_context import amount_in_words, build_context, format_amount

FORMATS = Path(__file__).parent.parent / "crm_app" / "crm_app" / "print_format"
HOSTILE = "<img src=x onerror=alert(1)>"

SELLER = {
	"legal_name": 'ООО "Поставщик"',
	"inn": "7707083893",
	"kpp": "773601001",
	"ogrn": "1027700132195",
	"address": "Москва, ул. Ленина, 1",
	"bank_name": "ПАО Сбербанк",
	"bik": "044525225",
	"settlement_account": "40702810938000000001",
	"correspondent_account": "30101810400000000225",
	"director": "Иванов И. И.",
	"chief_accountant": "Петрова П. П.",
}


def deal(**overrides):
	values = {
		"currency": "RUB",
		"prices_include_vat": 1,
		"items": [
			{"item_name": "Насос", "qty": 2, "uom": "шт", "rate": 1200, "vat_rate": 20},
			{
				"item_name": "Монтаж {{ 7*7 }}",
				"qty": 1,
				"uom": "усл",
				"rate": 500,
				"vat_rate": 10,
				"discount_percent": 10,
			},
			{"item_name": "Доставка", "qty": 1, "uom": "усл", "rate": 300, "vat_exempt": 1},
		],
	}
	values.update(overrides)
	return values


def render(fmt: str, context: dict) -> str:
	html = json.loads((FORMATS / fmt / f"{fmt}.json").read_text())["html"]
	env = SandboxedEnvironment()  # Frappe's Jinja environment does not autoescape
	env.globals.update({"_": lambda text: text, "deal_print_context": lambda doc: context})
	return env.from_string(html).render(doc={})


def context(lang="ru", **deal_overrides):
	ctx = build_context(
		deal(**deal_overrides), SELLER, {"company_name": HOSTILE, "inn": "500100732259"}, lang
	)
	ctx.update(
		{
			"number": "DEAL-2026-00001",
			"date": "27.11.2026",
			"title": "Поставка {{ 7*7 }}",
			"contact": {"full_name": "Петров Пётр", "position": "Директор"},
			"valid_until": "11.12.2026",
			"terms": "Оплата 100% {{ 7*7 }} " + HOSTILE,
		}
	)
	return ctx


@pytest.mark.parametrize("fmt", ["deal_invoice", "commercial_offer"])
def test_print_format_record(fmt):
	record = json.loads((FORMATS / fmt / f"{fmt}.json").read_text())
	assert record["doc_type"] == "Deal"
	assert record["standard"] == "Yes"
	assert record["module"] == "CRM App"
	assert record["print_format_type"] == "Jinja"
	assert record["name"] == {"deal_invoice": "Deal Invoice", "commercial_offer": "Commercial Offer"}[fmt]


@pytest.mark.parametrize("fmt", ["deal_invoice", "commercial_offer"])
def test_hostile_values_print_literally(fmt):
	html = render(fmt, context())
	assert HOSTILE not in html
	assert "&lt;img src=x onerror=alert(1)&gt;" in html
	assert "{{ 7*7 }}" in html
	assert "49" not in html


def test_invoice_totals_vat_and_words():
	ctx = context()
	# 2 x 1200 = 2400 (VAT 20% incl.), 500 -10% = 450 (VAT 10% incl.), 300 without VAT
	assert ctx["grand_total"] == 3150
	assert [(v["rate_text"], v["amount"]) for v in ctx["vat_by_rate"]] == [("10", 40.91), ("20", 400.0)]
	html = render("deal_invoice", ctx)
	assert "Including VAT 20%" in html and "Including VAT 10%" in html
	assert format_amount(3150) in html
	assert "Три тысячи сто пятьдесят рублей, ноль копеек" in html
	assert "Без НДС" not in html  # the label is translated by Frappe, not hard-coded
	assert [line["idx"] for line in ctx["lines"]] == [1, 2, 3]
	assert ctx["lines"][1]["price_text"] == "450,00"


def test_invoice_without_vat():
	ctx = context(items=[{"item_name": "Консультация", "qty": 1, "rate": 1000, "vat_exempt": 1}])
	assert ctx["without_vat"]
	html = render("deal_invoice", ctx)
	assert "Without VAT" in html
	assert "Including VAT" not in html


def test_vat_added_on_top():
	ctx = context(
		prices_include_vat=0, items=[{"item_name": "Насос", "qty": 1, "rate": 1000, "vat_rate": 20}]
	)
	html = render("deal_invoice", ctx)
	assert "VAT 20%" in html and "Including VAT" not in html
	assert ctx["grand_total"] == 1200


def test_amount_in_words():
	assert amount_in_words(1, "RUB") == "Один рубль, ноль копеек"
	assert amount_in_words(21.05, "RUB") == "Двадцать один рубль, пять копеек"
	assert amount_in_words(2, "USD", "en") == "Two dollars, zero cents"
	assert amount_in_words(5, "KZT", "ru").startswith("Пять KZT")
	assert amount_in_words(5, "RUB", "xx") == amount_in_words(5, "RUB", "en")


def test_format_amount():
	assert format_amount(1234567.5) == "1\u00a0234\u00a0567,50"
	assert format_amount(1234.5, "en") == "1,234.50"
	assert format_amount(0) == "0,00"


def russian() -> dict[str, str]:
	import csv

	with open(Path(__file__).parent.parent / "crm_app" / "translations" / "ru.csv", newline="") as f:
		return {row[0]: row[1] for row in csv.reader(f)}


@pytest.mark.parametrize("fmt", ["deal_invoice", "commercial_offer"])
def test_every_print_string_has_a_russian_translation(fmt):
	import re

	html = json.loads((FORMATS / fmt / f"{fmt}.json").read_text())["html"]
	strings = set(re.findall(r'_\("((?:[^"\\]|\\.)*)"\)', html))
	assert strings, "no translatable strings found"
	missing = strings - set(russian())
	assert not missing, missing
	assert russian()["Without VAT"] == "Без НДС"


def test_quantities_print_without_trailing_zeros():
	ctx = context(
		items=[{"item_name": "Насос", "qty": 2.0, "rate": 1}, {"item_name": "Кабель", "qty": 2.5, "rate": 1}]
	)
	assert [line["qty_text"] for line in ctx["lines"]] == ["2", "2.5"]
