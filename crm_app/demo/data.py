"""The demo year as plain data: client companies with valid requisites, their contacts, a
catalog, the sales team and a plan of every deal's moves with their moments.

Pure and deterministic (one `random.Random(seed)`, the day it ends given), so the offline
tests check the plan itself — valid INN / KPP / OGRN, dates inside the year, every stage
reached — and a site loads the same year twice alike. `crm_app.demo.load` carries the plan
out through the CRM's and ERPNext's own flows.

Requisites follow the FNS formats: INN of a legal entity 10 digits, of a sole proprietor
12, with check digits (order of the FNS of Russia No. ММВ-7-6/435@ of 29.06.2012); KPP
`NNNNPPXXX` (the tax office's code, reason code 01 for the head office, order No.
ММВ-7-6/435@); OGRN 13 digits and OGRNIP 15 with the check digit of Government decree
No. 438 of 19.06.2002 (`crm_app.clients.requisites.ogrn_check_digit`). Moscow time (UTC+3,
no daylight saving since 2014) sets the office hours.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from stdnum.ru import inn as stdnum_inn

from crm_app.clients.requisites import ogrn_check_digit

MOSCOW = timezone(timedelta(hours=3))
LEGAL_ENTITY = "Legal Entity"
SOLE_PROPRIETOR = "Sole Proprietor"

# Actions of the Deal Pipeline workflow the plan takes, and the two ledger facts an
# accountant posts in ERPNext itself (the deal follows the voucher)
START = "Start Negotiation"
ISSUE = "Issue Invoice"
PAY = "Confirm Payment"
SHIP = "Ship Goods"
LOSE = "Mark Lost"
PAY_IN_LEDGER = "payment entry"
SHIP_IN_LEDGER = "delivery note"

# (tax office code: region + inspection, city, telephone area code)
OFFICES = [
	("7701", "Москва", "495"),
	("7705", "Москва", "495"),
	("7714", "Москва", "499"),
	("7728", "Москва", "495"),
	("7810", "Санкт-Петербург", "812"),
	("7842", "Санкт-Петербург", "812"),
	("5405", "Новосибирск", "383"),
	("6658", "Екатеринбург", "343"),
	("1655", "Казань", "843"),
	("5260", "Нижний Новгород", "831"),
	("6164", "Ростов-на-Дону", "863"),
	("6315", "Самара", "846"),
	("5904", "Пермь", "342"),
	("2309", "Краснодар", "861"),
	("3664", "Воронеж", "473"),
]

NAME_STEMS = [
	"Север",
	"Вектор",
	"Гранит",
	"Меридиан",
	"Альянс",
	"Прогресс",
	"Ресурс",
	"Стандарт",
	"Импульс",
	"Кристалл",
	"Орион",
	"Радуга",
	"Технолайн",
	"Феникс",
	"Магистраль",
	"Ладога",
	"Атлант",
	"Континент",
	"Парус",
	"Спектр",
	"Заря",
	"Волна",
	"Байкал",
	"Эталон",
	"Горизонт",
	"Потенциал",
	"Старт",
	"Светоч",
	"Урал",
	"Дельта",
]
NAME_TAILS = ["Снаб", "Строй", "Сервис", "Торг", "Логистик", "Пром", "Трейд", "Маркет", "Тех", "Инвест"]
INDUSTRIES = [
	"Строительство",
	"Оптовая торговля",
	"Логистика",
	"Производство",
	"Розничная торговля",
	"IT и телеком",
	"Общественное питание",
	"Медицина",
	"Образование",
	"Сельское хозяйство",
]
TRANSLIT = dict(
	zip(
		"абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
		"a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch  y  e yu ya".split(" "),
		strict=True,
	)
)

MALE = [
	("Александр", "Александрович"),
	("Дмитрий", "Дмитриевич"),
	("Сергей", "Сергеевич"),
	("Андрей", "Андреевич"),
	("Алексей", "Алексеевич"),
	("Михаил", "Михайлович"),
	("Игорь", "Игоревич"),
	("Николай", "Николаевич"),
	("Павел", "Павлович"),
	("Олег", "Олегович"),
]
FEMALE = [
	("Елена", "Викторовна"),
	("Ольга", "Петровна"),
	("Наталья", "Сергеевна"),
	("Ирина", "Александровна"),
	("Татьяна", "Николаевна"),
	("Анна", "Дмитриевна"),
	("Мария", "Игоревна"),
	("Светлана", "Андреевна"),
	("Юлия", "Олеговна"),
	("Екатерина", "Павловна"),
]
SURNAMES = [
	"Иванов",
	"Смирнов",
	"Кузнецов",
	"Попов",
	"Васильев",
	"Петров",
	"Соколов",
	"Михайлов",
	"Новиков",
	"Фёдоров",
	"Морозов",
	"Волков",
	"Алексеев",
	"Лебедев",
	"Семёнов",
	"Егоров",
	"Павлов",
	"Козлов",
	"Степанов",
	"Николаев",
	"Орлов",
	"Андреев",
	"Макаров",
	"Никитин",
]
POSITIONS = [
	"Генеральный директор",
	"Коммерческий директор",
	"Менеджер по закупкам",
	"Главный инженер",
	"Руководитель отдела снабжения",
	"Офис-менеджер",
	"Финансовый директор",
]

# The sales team: (login part, first name, last name); the first is the head of sales
TEAM = [
	("head", "Марина", "Воронцова"),
	("sales1", "Артём", "Белов"),
	("sales2", "Ксения", "Громова"),
	("sales3", "Денис", "Захаров"),
	("sales4", "Полина", "Киселёва"),
]
ACCOUNTANT = ("accountant", "Галина", "Тарасова")
USER_DOMAIN = "crm-demo.example"  # RFC 2606: .example never reaches a real mailbox

# (code, name, Product/Service, UOM, rate in rubles incl. VAT, own VAT rate or None = standard)
CATALOG = [
	("DEMO-PAPER-A4", "Бумага офисная А4, 500 л.", "Product", "pack", 420, None),
	("DEMO-CARTRIDGE", "Картридж лазерный CF259X", "Product", "Nos", 6800, None),
	("DEMO-CHAIR", "Кресло офисное «Оптима»", "Product", "Nos", 14500, None),
	("DEMO-DESK", "Стол письменный 1400×700", "Product", "Nos", 18900, None),
	("DEMO-LAPTOP", 'Ноутбук 15,6" для офиса', "Product", "Nos", 72000, None),
	("DEMO-MONITOR", 'Монитор 27" IPS', "Product", "Nos", 24500, None),
	("DEMO-ROUTER", "Маршрутизатор Wi-Fi 6", "Product", "Nos", 9800, None),
	("DEMO-CABLE", "Кабель UTP cat.6, бухта 305 м", "Product", "Nos", 11200, None),
	("DEMO-BOOK", "Справочник «Охрана труда на предприятии»", "Product", "Nos", 1650, 10),
	("DEMO-WATER", "Вода питьевая, бутыль 19 л", "Product", "Nos", 390, None),
	("DEMO-INSTALL", "Монтаж и настройка оборудования", "Service", "hour", 3500, None),
	("DEMO-SUPPORT", "Абонентское обслуживание, месяц", "Service", "month", 28000, None),
	("DEMO-AUDIT", "Аудит ИТ-инфраструктуры", "Service", "Nos", 95000, None),
	("DEMO-TRAINING", "Обучение персонала, группа до 10 человек", "Service", "Nos", 42000, None),
	("DEMO-DELIVERY", "Доставка по городу", "Service", "Nos", 1500, None),
]

LOST_REASONS = ["Price", "Competitor", "No Budget", "No Decision", "No Response", "Other"]
LOST_WEIGHTS = [30, 22, 16, 14, 12, 6]
SOURCES = ["Web Form", "Email", "Phone", "Referral", "Other"]
SOURCE_WEIGHTS = [30, 25, 25, 15, 5]


@dataclass
class Company:
	company_name: str
	entity_type: str
	inn: str
	kpp: str
	ogrn: str
	director: str
	industry: str
	city: str
	phone: str
	email: str
	website: str
	address: str
	account_manager: int  # index into TEAM (a sales user)


@dataclass
class Contact:
	company: int  # index into the companies
	first_name: str
	middle_name: str
	last_name: str
	position: str
	email: str
	phone: str
	mobile: str


@dataclass
class Line:
	item: int  # index into CATALOG
	qty: float
	discount_percent: float = 0


@dataclass
class Move:
	at: datetime  # aware, UTC
	action: str  # one of START … SHIP_IN_LEDGER


@dataclass
class DealPlan:
	created_at: datetime  # aware, UTC
	company: int
	contact: int  # index into the contacts
	responsible: int  # index into TEAM
	source: str
	lines: list[Line]
	moves: list[Move] = field(default_factory=list)
	lost_reason: str | None = None
	expected_close_date: date | None = None
	next_contact_date: date | None = None

	@property
	def title(self) -> str:
		return CATALOG[self.lines[0].item][1]


def _inn_legal(rng: random.Random, office: str) -> str:
	body = office + "".join(rng.choice("0123456789") for _ in range(5))
	return body + stdnum_inn.calc_company_check_digit(body)


def _inn_person(rng: random.Random, office: str) -> str:
	body = office + "".join(rng.choice("0123456789") for _ in range(6))
	return body + stdnum_inn.calc_personal_check_digits(body)


def _ogrn(rng: random.Random, sign: str, year: int, office: str, length: int) -> str:
	body = sign + f"{year % 100:02d}" + office[:2]
	body += "".join(rng.choice("0123456789") for _ in range(length - 1 - len(body)))
	return body + str(ogrn_check_digit(body + "0"))


def translit(text: str) -> str:
	"""Latin letters for an address or a login (GOST R 52535.1-2006 style, simplified)."""
	out = "".join(TRANSLIT.get(ch, ch) for ch in text.lower())
	return "".join(ch for ch in out if ch.isalnum() or ch in "-.")


def _phone(rng: random.Random, area: str) -> str:
	digits = str(rng.randint(2, 9)) + "".join(rng.choice("0123456789") for _ in range(6))
	return f"+7 ({area}) {digits[:3]}-{digits[3:5]}-{digits[5:]}"


def _mobile(rng: random.Random) -> str:
	digits = str(rng.randint(2, 9)) + "".join(rng.choice("0123456789") for _ in range(6))
	operator = rng.choice(["903", "905", "910", "915", "916", "917", "925", "926", "977", "985", "999"])
	return f"+7 {operator} {digits[:3]}-{digits[3:5]}-{digits[5:]}"


def _person(rng: random.Random) -> tuple[str, str, str, bool]:
	female = rng.random() < 0.5
	first, middle = rng.choice(FEMALE if female else MALE)
	last = rng.choice(SURNAMES)
	if female:
		last = last[:-1] + "ва" if last.endswith("в") else last + "а"
	return first, middle, last, female


def companies(rng: random.Random, count: int = 60) -> list[Company]:
	"""`count` client companies, about one in six a sole proprietor; INNs unique."""
	out, seen = [], set()
	stems = [f"{s}{t}" for s in NAME_STEMS for t in NAME_TAILS]
	rng.shuffle(stems)
	while len(out) < count:
		office, city, area = rng.choice(OFFICES)
		first, middle, last, _female = _person(rng)
		director = f"{last} {first} {middle}"
		year = rng.randint(2005, 2023)
		if rng.random() < 1 / 6:
			inn = _inn_person(rng, office)
			name = f"ИП {last} {first[0]}. {middle[0]}."
			entity, kpp, ogrn = SOLE_PROPRIETOR, "", _ogrn(rng, "3", year, office, 15)
			slug = translit(last)
		else:
			stem = stems[len(out) % len(stems)]
			inn = _inn_legal(rng, office)
			form = "АО" if rng.random() < 0.15 else "ООО"
			name = f"{form} «{stem}»"
			entity, kpp, ogrn = LEGAL_ENTITY, office + "01001", _ogrn(rng, "1", year, office, 13)
			slug = translit(stem)
		if inn in seen:
			continue
		seen.add(inn)
		street = rng.choice(["ул. Ленина", "пр. Мира", "ул. Гагарина", "ул. Садовая", "ул. Заводская"])
		out.append(
			Company(
				company_name=name,
				entity_type=entity,
				inn=inn,
				kpp=kpp,
				ogrn=ogrn,
				director=director,
				industry=rng.choice(INDUSTRIES),
				city=city,
				phone=_phone(rng, area),
				email=f"info@{slug}-{len(out) + 1}.example",
				website=f"https://{slug}-{len(out) + 1}.example",
				address=f"г. {city}, {street}, д. {rng.randint(1, 120)}",
				account_manager=rng.randint(1, len(TEAM) - 1),
			)
		)
	return out


def contacts(rng: random.Random, firms: list[Company]) -> list[Contact]:
	"""One to three people per company (a sole proprietor is their own contact)."""
	out = []
	for index, firm in enumerate(firms):
		domain = firm.email.split("@", 1)[1]
		for n in range(1 if firm.entity_type == SOLE_PROPRIETOR else rng.randint(1, 3)):
			if firm.entity_type == SOLE_PROPRIETOR:
				last, first, middle = firm.director.split()
				position = "Индивидуальный предприниматель"
			else:
				first, middle, last, _female = _person(rng)
				position = POSITIONS[0] if n == 0 and rng.random() < 0.3 else rng.choice(POSITIONS[1:])
			out.append(
				Contact(
					company=index,
					first_name=first,
					middle_name=middle,
					last_name=last,
					position=position,
					email=f"{translit(first)[0]}.{translit(last)}@{domain}",
					phone=firm.phone,
					mobile=_mobile(rng),
				)
			)
	return out


def _office_moment(rng: random.Random, day: date) -> datetime:
	"""A moment of Moscow office hours on `day` (moved to Monday from a weekend), in UTC."""
	while day.weekday() >= 5:
		day += timedelta(days=1)
	local = datetime.combine(day, time(9, 0), MOSCOW) + timedelta(minutes=rng.randint(0, 8 * 60))
	return local.astimezone(timezone.utc)


def _later(rng: random.Random, moment: datetime, low: int, high: int) -> datetime:
	day = moment.astimezone(MOSCOW).date() + timedelta(days=rng.randint(low, high))
	return max(_office_moment(rng, day), moment + timedelta(minutes=5))


def deal_plans(
	rng: random.Random, firms: list[Company], people: list[Contact], today: date, count: int = 400
) -> list[DealPlan]:
	"""`count` deals created over the 12 months before `today`, each with the moves it makes
	up to now: most old deals closed (won about 45 %, lost about 35 %), recent ones open
	at every stage. Moves never reach `today` or later; a product deal's payment or shipment
	is posted in ERPNext itself about one time in three (the deal follows the voucher)."""
	by_company: dict[int, list[int]] = {}
	for index, person in enumerate(people):
		by_company.setdefault(person.company, []).append(index)
	end = datetime.combine(today, time(0, 0), MOSCOW).astimezone(timezone.utc)
	plans = []
	for _ in range(count):
		company = rng.randrange(len(firms))
		# a growing business: more requests in recent months than a year ago
		created = _office_moment(rng, today - timedelta(days=2 + int(363 * rng.random() ** 1.25)))
		if created >= end:
			created = end - timedelta(hours=rng.randint(12, 60))
		responsible = firms[company].account_manager if rng.random() < 0.8 else rng.randint(1, len(TEAM) - 1)
		n_lines = rng.choice([1, 1, 1, 2, 2, 3])
		lines = []
		for item in rng.sample(range(len(CATALOG)), n_lines):
			rate = CATALOG[item][4]
			qty = rng.choice([1, 1, 2, 3, 5]) if rate > 5000 else rng.choice([5, 10, 20, 50, 100])
			discount = rng.choice([0, 0, 0, 0, 5, 10])
			lines.append(Line(item=item, qty=qty, discount_percent=discount))
		plan = DealPlan(
			created_at=created,
			company=company,
			contact=rng.choice(by_company[company]),
			responsible=responsible,
			source=rng.choices(SOURCES, SOURCE_WEIGHTS)[0],
			lines=lines,
		)
		_plan_moves(rng, plan, end)
		_plan_dates(rng, plan, today)
		plans.append(plan)
	plans.sort(key=lambda p: p.created_at)
	return plans


def _plan_moves(rng: random.Random, plan: DealPlan, end: datetime):
	has_goods = any(CATALOG[line.item][2] == "Product" for line in plan.lines)
	steps = [(START, 0, 6)]
	fate = rng.random()
	if fate < 0.35:
		at_negotiation = rng.random() < 0.7
		if not at_negotiation:
			steps = []
		steps.append((LOSE, 2, 25))
		plan.lost_reason = rng.choices(LOST_REASONS, LOST_WEIGHTS)[0]
	else:
		steps.append((ISSUE, 2, 20))
		if fate < 0.92:
			steps.append((PAY_IN_LEDGER if has_goods and rng.random() < 0.35 else PAY, 1, 14))
			if fate < 0.85:
				steps.append((SHIP_IN_LEDGER if has_goods and rng.random() < 0.35 else SHIP, 1, 10))
	moment = plan.created_at
	for action, low, high in steps:
		moment = _later(rng, moment, low, high)
		if moment >= end:
			break
		plan.moves.append(Move(at=moment, action=action))


def _plan_dates(rng: random.Random, plan: DealPlan, today: date):
	final = plan.moves[-1].action if plan.moves else None
	if final in (LOSE, SHIP, SHIP_IN_LEDGER):
		plan.expected_close_date = plan.moves[-1].at.astimezone(MOSCOW).date()
		if final == LOSE:
			plan.lost_reason = plan.lost_reason or LOST_REASONS[0]
		return
	if final in (PAY, PAY_IN_LEDGER):
		plan.expected_close_date = plan.moves[-1].at.astimezone(MOSCOW).date()
		return
	plan.lost_reason = None
	plan.expected_close_date = today + timedelta(days=rng.randint(3, 100))
	plan.next_contact_date = today + timedelta(days=rng.randint(0, 12))


def targets(plans: list[DealPlan], today: date) -> list[dict]:
	"""A quarterly target per sales user for the four quarters before `today`'s, today's and
	the next: what their deals created in that quarter add up to (for a quarter not over, at
	least their average past quarter), plus a tenth, rounded up to 50,000 rubles (a target is
	a little above what is reached). Rubles incl. VAT, as the deals."""
	quarters = []
	first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
	for back in range(4, -2, -1):
		month = first.month - 3 * back
		year = first.year + (month - 1) // 12
		month = (month - 1) % 12 + 1
		start = date(year, month, 1)
		end_month = month + 3
		end = date(year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1) - timedelta(days=1)
		quarters.append((start, end))
	out = []
	for responsible in range(1, len(TEAM)):
		planned = [
			sum(
				plan_amount(p)
				for p in plans
				if p.responsible == responsible and start <= p.created_at.astimezone(MOSCOW).date() <= end
			)
			for start, end in quarters
		]
		past = [amount for (_start, end), amount in zip(quarters, planned, strict=True) if end < today]
		usual = sum(past) / len(past) if past else 0
		for (start, end), amount in zip(quarters, planned, strict=True):
			# the current and the next quarter are not over: what a usual quarter brings
			amount = amount if end < today else max(amount, usual)
			amount = (int(amount * 1.1 / 50000) + 1) * 50000
			out.append(
				{"responsible": responsible, "from_date": start, "to_date": end, "target_amount": amount}
			)
	return out


def plan_amount(plan: DealPlan) -> float:
	"""The deal's grand total in rubles incl. VAT, before rounding (catalog prices include VAT)."""
	return sum(CATALOG[line.item][4] * line.qty * (1 - line.discount_percent / 100) for line in plan.lines)


def stock_needed(plans: list[DealPlan]) -> dict[int, float]:
	"""Quantity of each product the year's shipments take (catalog index → qty)."""
	need: dict[int, float] = {}
	for plan in plans:
		if any(m.action in (SHIP, SHIP_IN_LEDGER) for m in plan.moves):
			for line in plan.lines:
				if CATALOG[line.item][2] == "Product":
					need[line.item] = need.get(line.item, 0) + line.qty
	return need


def year(seed: int, today: date, deals: int = 400, clients: int = 60):
	"""The whole demo year: (companies, contacts, deal plans, targets)."""
	rng = random.Random(seed)
	firms = companies(rng, clients)
	people = contacts(rng, firms)
	plans = deal_plans(rng, firms, people, today, deals)
	return firms, people, plans, targets(plans, today)
