"""The electronic UPD (crm_app.documents.upd_xml) against the FNS schema of format 5.03."""

import os
from datetime import date, datetime
from pathlib import Path

import pytest
from lxml import etree

from crm_app.documents import upd_xml

SCHEMA = Path("reference") / "fns" / "ON_NSCHFDOPPR_1_997_01_05_03_05.xsd"


def schema_path() -> Path:
	"""The FNS schema in the reference data beside the checkout (CRM_APP_SHARED_DIR, else a
	`shared` folder next to the checkout or one of its parents)."""
	if os.environ.get("CRM_APP_SHARED_DIR"):
		return Path(os.environ["CRM_APP_SHARED_DIR"]) / SCHEMA
	root = Path(__file__).resolve().parents[1]
	for folder in root.parents:
		if (folder / "shared" / SCHEMA).exists():
			return folder / "shared" / SCHEMA
	return root.parent / "shared" / SCHEMA


XSD = schema_path()
GUID = "0f8fad5b-d9cb-469f-a165-70867728950e"


@pytest.fixture(scope="module")
def schema():
	if not XSD.exists():
		pytest.fail(f"the FNS schema is not at {XSD} (set CRM_APP_SHARED_DIR)")
	return etree.XMLSchema(etree.parse(str(XSD)))


def sample(**changes) -> dict:
	doc = {
		"recipient_edo_id": "2BM-7705033150-770501001-201409100000000000000",
		"sender_edo_id": "2BE-7707083893-773601001",
		"guid": GUID,
		"created": datetime(2026, 3, 2, 14, 5, 9),
		"function": upd_xml.INVOICE_AND_TRANSFER,
		"number": "UPD-2026-00007",
		"date": date(2026, 3, 2),
		"shipment_date": date(2026, 3, 2),
		"seller": {
			"name": 'ООО "Поставщик"',
			"inn": "7707083893",
			"kpp": "773601001",
			"address": "117997, г. Москва, ул. Вавилова, д. 19",
			"director": "Иванов Иван Иванович",
			"director_title": "Генеральный директор",
		},
		"buyer": {"name": 'АО "Покупатель"', "inn": "7705033150", "kpp": "770501001", "address": "Москва"},
		"currency_code": "643",
		"currency_name": "Российский рубль",
		"lines": [
			{"name": "Насос «Вихрь»", "okei": "796", "unit": "шт", "qty": 2, "price": 5000, "net": 10000,
			 "vat_rate": 22, "exempt": False, "vat": 2200, "gross": 12200},
			{"name": "Книга", "okei": "796", "unit": "шт", "qty": 3, "price": 100, "net": 300,
			 "vat_rate": 10, "exempt": False, "vat": 30, "gross": 330},
		],
		"net_total": 10300,
		"vat_total": 2230,
		"grand_total": 12530,
		"basis": [{"name": "Счёт", "number": "ACC-SINV-2026-00012", "date": date(2026, 2, 20)},
				  {"name": "Сделка", "number": "DEAL-2026-00031", "date": date(2026, 2, 1)}],
		"program": "crm_app 0.1.0",
	}  # fmt: skip
	doc.update(changes)
	return doc


def parsed(data: bytes):
	return etree.fromstring(data)


def test_a_vat_payers_upd_validates_and_is_named_as_the_format_says(schema):
	name, data = upd_xml.build(sample())
	assert data.startswith(b"<?xml version='1.0' encoding='windows-1251'?>")
	root = parsed(data)
	schema.assertValid(root)
	ident = root.get("ИдФайл")
	assert name == f"{ident}.xml"
	assert ident == (
		"ON_NSCHFDOPPR_2BM-7705033150-770501001-201409100000000000000_2BE-7707083893-773601001_20260302_"
		f"{GUID}_0_0_0_0_0_00"
	)
	body = root.find("Документ")
	assert (body.get("Функция"), body.get("КНД"), root.get("ВерсФорм")) == ("СЧФДОП", "1115131", "5.03")
	assert [row.get("НалСт") for row in body.iter("СведТов")] == ["22%", "10%"]
	assert body.find("ТаблСчФакт/ВсегоОпл/СумНалВсего/СумНал").text == "2230.00"
	assert body.find("СвСчФакт/СвПрод/Адрес/АдрРФ").get("КодРегион") == "77"
	assert body.find("СвСчФакт/СвПрод/Адрес/АдрРФ").get("Индекс") == "117997"
	assert body.find("Подписант/ФИО").attrib == {"Фамилия": "Иванов", "Имя": "Иван", "Отчество": "Иванович"}
	assert [b.get("РеквНомерДок") for b in body.iter("ОснПер")] == ["ACC-SINV-2026-00012", "DEAL-2026-00031"]
	assert "Насос «Вихрь»".encode("cp1251") in data


def test_a_seller_without_vat_and_a_sole_proprietor_buyer(schema):
	lines = [dict(sample()["lines"][0], vat_rate=0, exempt=True, vat=0, gross=10000)]
	buyer = {
		"name": "ИП Петров Пётр Петрович",
		"inn": "500100732259",
		"kpp": "",
		"address": "Московская обл.",
	}
	_name, data = upd_xml.build(
		sample(function=upd_xml.TRANSFER_ONLY, lines=lines, buyer=buyer, vat_total=0, net_total=10000,
			   grand_total=10000, services_only=True)
	)  # fmt: skip
	root = parsed(data)
	schema.assertValid(root)
	body = root.find("Документ")
	assert body.get("Функция") == "ДОП"
	assert body.find("ТаблСчФакт/СведТов").get("НалСт") == "без НДС"
	assert body.find("ТаблСчФакт/ВсегоОпл/СумНалВсего/БезНДС").text == "без НДС"
	assert body.find("СвСчФакт/СвПокуп/ИдСв/СвИП/ФИО").get("Фамилия") == "Петров"
	assert body.find("СвПродПер/СвПер").get("СодОпер") == upd_xml.SERVICES_RENDERED


def test_what_the_format_cannot_hold_is_refused():
	with pytest.raises(upd_xml.UpdError):
		upd_xml.build(sample(recipient_edo_id=""))
	with pytest.raises(upd_xml.UpdError):
		upd_xml.build(sample(seller=dict(sample()["seller"], director="Иванов")))
	with pytest.raises(upd_xml.UpdError):
		upd_xml.build(sample(buyer=dict(sample()["buyer"], inn="123")))


@pytest.mark.parametrize(
	"rate, exempt, code",
	[(22, False, "22%"), (10.0, False, "10%"), (0, False, "0%"), (5, False, "5%"), (0, True, "без НДС")],
)
def test_vat_rate_codes(rate, exempt, code):
	assert upd_xml.vat_rate_code(rate, exempt) == code
