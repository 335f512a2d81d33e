"""The electronic UPD: the FNS exchange file of the universal transfer document, format
5.03 (`ON_NSCHFDOPPR`, KND 1115131), as EDO operators (Kontur.Diadoc, SBIS, Taxcom …)
accept it.

Sources: FNS order ЕД-7-26/970@ of 19.12.2023 (format 5.03 of the invoice and the
transfer document; the only one accepted since 01.04.2025) and its XML schema
`ON_NSCHFDOPPR_1_997_01_05_03_05.xsd`; the FNS letter ММВ-20-3/96@ of 21.10.2013 (the UPD);
art. 169 of the Tax Code (what an invoice states).

Pure Python over plain values (`build`): no Frappe, so the offline tests validate the
result against the FNS schema. `crm_app.documents.edo` gathers a deal's values and
attaches the file to it.
"""

import re
import xml.etree.ElementTree as ET
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

FORMAT_VERSION = "5.03"
KND = "1115131"
PREFIX = "ON_NSCHFDOPPR"
ENCODING = "windows-1251"

# Функция: an invoice and a transfer document in one (a VAT payer's UPD, status 1), or
# the transfer document alone (status 2)
INVOICE_AND_TRANSFER = "СЧФДОП"
TRANSFER_ONLY = "ДОП"
FACT_NAME = (
	"Документ об отгрузке товаров (выполнении работ), передаче имущественных прав "
	"(документ об оказании услуг)"
)
DOCUMENT_NAMES = {
	INVOICE_AND_TRANSFER: "Счет-фактура и " + FACT_NAME[0].lower() + FACT_NAME[1:],
	TRANSFER_ONLY: FACT_NAME,
}
GOODS_HANDED_OVER = "Товары переданы"
SERVICES_RENDERED = "Работы выполнены (услуги оказаны)"
WITHOUT_VAT = "без НДС"
RUB = ("643", "Российский рубль")
SIGNED_BY_ELECTRONIC_SIGNATURE = "1"  # СпосПодтПолном: the signer's power from the signature's data

# Subjects of the Russian Federation by the first two digits of an INN or a KPP
# (the FNS's codes of the regions: the tax office codes of SOUN).
REGIONS = {
	"01": "Республика Адыгея", "02": "Республика Башкортостан", "03": "Республика Бурятия",
	"04": "Республика Алтай", "05": "Республика Дагестан", "06": "Республика Ингушетия",
	"07": "Кабардино-Балкарская Республика", "08": "Республика Калмыкия",
	"09": "Карачаево-Черкесская Республика", "10": "Республика Карелия", "11": "Республика Коми",
	"12": "Республика Марий Эл", "13": "Республика Мордовия", "14": "Республика Саха (Якутия)",
	"15": "Республика Северная Осетия - Алания", "16": "Республика Татарстан", "17": "Республика Тыва",
	"18": "Удмуртская Республика", "19": "Республика Хакасия", "20": "Чеченская Республика",
	"21": "Чувашская Республика", "22": "Алтайский край", "23": "Краснодарский край",
	"24": "Красноярский край", "25": "Приморский край", "26": "Ставропольский край",
	"27": "Хабаровский край", "28": "Амурская область", "29": "Архангельская область",
	"30": "Астраханская область", "31": "Белгородская область", "32": "Брянская область",
	"33": "Владимирская область", "34": "Волгоградская область", "35": "Вологодская область",
	"36": "Воронежская область", "37": "Ивановская область", "38": "Иркутская область",
	"39": "Калининградская область", "40": "Калужская область", "41": "Камчатский край",
	"42": "Кемеровская область - Кузбасс", "43": "Кировская область", "44": "Костромская область",
	"45": "Курганская область", "46": "Курская область", "47": "Ленинградская область",
	"48": "Липецкая область", "49": "Магаданская область", "50": "Московская область",
	"51": "Мурманская область", "52": "Нижегородская область", "53": "Новгородская область",
	"54": "Новосибирская область", "55": "Омская область", "56": "Оренбургская область",
	"57": "Орловская область", "58": "Пензенская область", "59": "Пермский край",
	"60": "Псковская область", "61": "Ростовская область", "62": "Рязанская область",
	"63": "Самарская область", "64": "Саратовская область", "65": "Сахалинская область",
	"66": "Свердловская область", "67": "Смоленская область", "68": "Тамбовская область",
	"69": "Тверская область", "70": "Томская область", "71": "Тульская область",
	"72": "Тюменская область", "73": "Ульяновская область", "74": "Челябинская область",
	"75": "Забайкальский край", "76": "Ярославская область", "77": "г. Москва",
	"78": "г. Санкт-Петербург", "79": "Еврейская автономная область",
	"83": "Ненецкий автономный округ", "86": "Ханты-Мансийский автономный округ - Югра",
	"87": "Чукотский автономный округ", "89": "Ямало-Ненецкий автономный округ",
	"90": "Запорожская область", "91": "Республика Крым", "92": "г. Севастополь",
	"93": "Донецкая Народная Республика", "94": "Луганская Народная Республика",
	"95": "Херсонская область",
}  # fmt: skip


class UpdError(ValueError):
	"""Values the file cannot be made of (message for the user)."""


def file_id(recipient: str, sender: str, day: date, guid: str) -> str:
	"""`ИдФайл`, which is also the file's name without ".xml": ON_NSCHFDOPPR_<recipient's
	EDO participant ID>_<sender's>_<YYYYMMDD>_<GUID>_0_0_0_0_0_00 (order ЕД-7-26/970@: the
	flags after the GUID say there are no marking codes, traceability or other parts)."""
	for who, value in (("recipient", recipient), ("sender", sender)):
		if not value or not re.fullmatch(r"[0-9A-Za-z\-]{4,46}", value):
			raise UpdError(f"The {who}'s EDO participant ID {value!r} is not one.")
	return f"{PREFIX}_{recipient}_{sender}_{day:%Y%m%d}_{guid}_0_0_0_0_0_00"


def vat_rate_code(rate, exempt: bool) -> str:
	"""`НалСт` of a line: "22%", "10%", "0%" …, or "без НДС"."""
	if exempt:
		return WITHOUT_VAT
	code = f"{Decimal(str(rate)).normalize():f}%"
	return code


def money(value) -> str:
	return str(Decimal(str(value or 0)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def quantity(value, places: int = 11) -> str:
	"""A quantity or a unit price: up to 11 decimals, trailing zeros dropped."""
	number = Decimal(str(value or 0)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
	text = f"{number.normalize():f}"
	return text


def day_text(value) -> str:
	if isinstance(value, datetime):
		value = value.date()
	if isinstance(value, str):
		value = date.fromisoformat(value[:10])
	return value.strftime("%d.%m.%Y")


def region_of(inn: str, kpp: str | None = None) -> tuple[str, str]:
	"""(code, name) of the subject of the Russian Federation a party is registered in: the
	KPP's first two digits (the tax office of the registration), else the INN's."""
	for source in (kpp or "", inn or ""):
		code = source[:2]
		if code in REGIONS:
			return code, REGIONS[code]
	raise UpdError(f"No region of the Russian Federation is known for INN {inn} (KPP {kpp or '-'}).")


def split_name(full_name: str) -> dict:
	"""`ФИО` attributes of a person's name written "Surname Name Patronymic" (initials
	stay initials)."""
	parts = re.sub(r"(?<=\.)(?=\S)", " ", (full_name or "").strip()).split()
	if len(parts) < 2:
		raise UpdError(f"{full_name!r} is not a surname with a name.")
	name = {"Фамилия": parts[0], "Имя": parts[1]}
	if len(parts) > 2:
		name["Отчество"] = " ".join(parts[2:])
	return name


def _party(parent: ET.Element, tag: str, party: dict) -> ET.Element:
	"""A participant: a legal entity (INN of 10 digits) or a sole proprietor (12), with
	its address in Russia."""
	el = ET.SubElement(parent, tag)
	ident = ET.SubElement(el, "ИдСв")
	inn = party.get("inn") or ""
	if len(inn) == 12:
		ip = ET.SubElement(ident, "СвИП", {"ИННФЛ": inn})
		person = re.sub(r"^(ИП|Индивидуальный предприниматель)\s+", "", party.get("name") or "", flags=re.I)
		ET.SubElement(ip, "ФИО", split_name(person))
	elif len(inn) == 10:
		attrs = {"НаимОрг": party["name"], "ИННЮЛ": inn}
		if party.get("kpp"):
			attrs["КПП"] = party["kpp"]
		ET.SubElement(ident, "СвЮЛУч", attrs)
	else:
		raise UpdError(f"{party.get('name')}: the INN {inn!r} is neither 10 nor 12 digits.")
	code, region = region_of(inn, party.get("kpp"))
	address = {"КодРегион": code, "НаимРегион": region}
	text = " ".join((party.get("address") or "").split())
	if postcode := re.search(r"(?<!\d)(\d{6})(?!\d)", text):
		address["Индекс"] = postcode.group(1)
	if text:
		address["ИныеСвед"] = text[:2000]
	ET.SubElement(ET.SubElement(el, "Адрес"), "АдрРФ", address)
	return el


def build(doc: dict) -> tuple[str, bytes]:
	"""(file name, file bytes in windows-1251) of the UPD.

	`doc` keys:
	- recipient_edo_id, sender_edo_id: the buyer's and the seller's EDO participant IDs;
	- guid: 36 characters, the file's unique part; created: datetime the file is made;
	- function: INVOICE_AND_TRANSFER (a VAT payer) or TRANSFER_ONLY;
	- number, date: the UPD's number and date; shipment_date: the date of the transfer;
	- seller, buyer: {name, inn, kpp, address}; the seller also director (its signer:
	  "Surname Name Patronymic") and director_title;
	- currency_code, currency_name: OKV (643, "Российский рубль");
	- lines: [{name, okei, unit, qty, price (without VAT), net, vat_rate, exempt, vat, gross}];
	- net_total, vat_total, grand_total;
	- basis: [{name, number, date}] — the invoice and the deal;
	- services_only: every line a service (the operation reads "works done, services rendered");
	- program: the program's name and version.
	Raises UpdError for values the format cannot hold."""
	created = doc["created"]
	ident = file_id(doc["recipient_edo_id"], doc["sender_edo_id"], created.date(), doc["guid"])
	function = doc["function"]
	seller = doc["seller"]
	root = ET.Element("Файл", {"ИдФайл": ident, "ВерсФорм": FORMAT_VERSION, "ВерсПрог": doc["program"][:40]})
	body = ET.SubElement(
		root,
		"Документ",
		{
			"КНД": KND,
			"Функция": function,
			"ПоФактХЖ": FACT_NAME,
			"НаимДокОпр": DOCUMENT_NAMES[function],
			"ДатаИнфПр": day_text(created),
			"ВремИнфПр": created.strftime("%H.%M.%S"),
			"НаимЭконСубСост": f"{seller['name']}, ИНН: {seller['inn']}"[:1000],
		},
	)
	invoice = ET.SubElement(
		body, "СвСчФакт", {"НомерДок": str(doc["number"]), "ДатаДок": day_text(doc["date"])}
	)
	_party(invoice, "СвПрод", seller)
	ET.SubElement(ET.SubElement(invoice, "ГрузОт"), "ОнЖе").text = "он же"
	_party(invoice, "ГрузПолуч", doc["buyer"])
	ET.SubElement(
		invoice,
		"ДокПодтвОтгрНом",
		{
			"РеквНаимДок": DOCUMENT_NAMES[function][:255],
			"РеквНомерДок": str(doc["number"]),
			"РеквДатаДок": day_text(doc["date"]),
		},
	)
	_party(invoice, "СвПокуп", doc["buyer"])
	ET.SubElement(invoice, "ДенИзм", {"КодОКВ": doc["currency_code"], "НаимОКВ": doc["currency_name"]})

	table = ET.SubElement(body, "ТаблСчФакт")
	for idx, line in enumerate(doc["lines"], start=1):
		attrs = {"НомСтр": str(idx), "НаимТов": line["name"][:2000]}
		if line.get("okei"):
			attrs["ОКЕИ_Тов"] = line["okei"]
		if line.get("unit"):
			attrs["НаимЕдИзм"] = line["unit"][:255]
		attrs.update(
			{
				"КолТов": quantity(line["qty"]),
				"ЦенаТов": quantity(line["price"]),
				"СтТовБезНДС": money(line["net"]),
				"НалСт": vat_rate_code(line["vat_rate"], line["exempt"]),
				"СтТовУчНал": money(line["gross"]),
			}
		)
		row = ET.SubElement(table, "СведТов", attrs)
		ET.SubElement(ET.SubElement(row, "Акциз"), "БезАкциз").text = "без акциза"
		tax = ET.SubElement(row, "СумНал")
		if line["exempt"]:
			ET.SubElement(tax, "БезНДС").text = WITHOUT_VAT
		else:
			ET.SubElement(tax, "СумНал").text = money(line["vat"])
	total = ET.SubElement(
		table,
		"ВсегоОпл",
		{"СтТовБезНДСВсего": money(doc["net_total"]), "СтТовУчНалВсего": money(doc["grand_total"])},
	)
	total_tax = ET.SubElement(total, "СумНалВсего")
	if all(line["exempt"] for line in doc["lines"]):
		ET.SubElement(total_tax, "БезНДС").text = WITHOUT_VAT
	else:
		ET.SubElement(total_tax, "СумНал").text = money(doc["vat_total"])

	transfer = ET.SubElement(ET.SubElement(body, "СвПродПер"), "СвПер")
	transfer.set("СодОпер", SERVICES_RENDERED if doc.get("services_only") else GOODS_HANDED_OVER)
	transfer.set("ДатаПер", day_text(doc["shipment_date"] or doc["date"]))
	for basis in doc["basis"]:
		ET.SubElement(
			transfer,
			"ОснПер",
			{
				"РеквНаимДок": basis["name"][:255],
				"РеквНомерДок": str(basis["number"])[:255],
				"РеквДатаДок": day_text(basis["date"]),
			},
		)
	signer_attrs = {"СпосПодтПолном": SIGNED_BY_ELECTRONIC_SIGNATURE}
	if seller.get("director_title"):
		signer_attrs["Должн"] = seller["director_title"][:255]
	signer = ET.SubElement(body, "Подписант", signer_attrs)
	ET.SubElement(signer, "ФИО", split_name(seller.get("director") or ""))

	data = ET.tostring(root, encoding=ENCODING, xml_declaration=True)
	return f"{ident}.xml", data
