"""The demo year as planned (crm_app.demo.data): valid requisites, a believable year, every
stage reached, the same year for the same seed."""

from collections import Counter
from datetime import date, timedelta
from itertools import pairwise

import pytest

from crm_app.clients import requisites
from crm_app.clients.contact_info import normalize_phone
from crm_app.demo import data

TODAY = date(2026, 12, 4)


@pytest.fixture(scope="module")
def year():
	return data.year(2026, TODAY)


def test_companies_have_valid_unique_requisites(year):
	firms = year[0]
	assert len(firms) == 60
	assert len({f.inn for f in firms}) == 60
	kinds = Counter(f.entity_type for f in firms)
	assert kinds[data.SOLE_PROPRIETOR] >= 3 and kinds[data.LEGAL_ENTITY] >= 40
	for firm in firms:
		assert requisites.validate_inn(firm.inn, firm.entity_type) == firm.inn
		assert requisites.validate_kpp(firm.kpp, firm.entity_type) == firm.kpp
		assert requisites.validate_ogrn(firm.ogrn, firm.entity_type) == firm.ogrn
		if firm.entity_type == data.LEGAL_ENTITY:
			# the KPP's tax office is the INN's, as at a head office's registration
			assert firm.kpp[:4] == firm.inn[:4] and firm.kpp[4:6] == "01"
		else:
			assert firm.kpp == "" and firm.company_name.startswith("ИП ")
		assert firm.email.endswith(".example") and firm.website.endswith(".example")
		assert normalize_phone(firm.phone).startswith("+7")


def test_a_wrong_check_digit_would_be_caught():
	"""The generator's numbers pass because they are right, not because anything passes."""
	firm = data.companies(__import__("random").Random(1), 1)[0]
	broken = firm.inn[:-1] + str((int(firm.inn[-1]) + 1) % 10)
	with pytest.raises(requisites.RequisiteError):
		requisites.validate_inn(broken, firm.entity_type)


def test_contacts_belong_to_companies_and_reach_fictional_mailboxes(year):
	firms, people = year[0], year[1]
	assert 60 <= len(people) <= 180
	assert {p.company for p in people} == set(range(len(firms)))
	for person in people:
		assert person.email.endswith(".example")
		assert normalize_phone(person.mobile).startswith("+79")


def test_the_year_reaches_every_stage_at_believable_moments(year):
	_firms, _people, plans, _targets = year
	assert len(plans) == 400
	start = min(p.created_at for p in plans).astimezone(data.MOSCOW).date()
	assert TODAY - timedelta(days=366) <= start <= TODAY - timedelta(days=330)
	finals = Counter(p.moves[-1].action if p.moves else None for p in plans)
	# open at Request Received, at Negotiation, invoiced, paid, shipped and lost all occur
	for action in (None, data.START, data.ISSUE, data.LOSE):
		assert finals[action] > 5, action
	assert finals[data.PAY] + finals[data.PAY_IN_LEDGER] > 10
	assert finals[data.SHIP] + finals[data.SHIP_IN_LEDGER] > 100
	assert 0.25 < finals[data.LOSE] / len(plans) < 0.45
	for plan in plans:
		moments = [plan.created_at] + [m.at for m in plan.moves]
		assert moments == sorted(moments)
		assert all(m.astimezone(data.MOSCOW).date() < TODAY for m in moments)
		for moment in moments[1:]:
			local = moment.astimezone(data.MOSCOW)
			assert local.weekday() < 5 and 9 <= local.hour < 18
		actions = [m.action for m in plan.moves]
		assert (data.LOSE in actions) == bool(plan.lost_reason)
		# a ledger fact only where goods can be shipped, and only after the invoice
		if data.SHIP_IN_LEDGER in actions or data.PAY_IN_LEDGER in actions:
			assert any(data.CATALOG[line.item][2] == "Product" for line in plan.lines)
			assert actions.index(data.ISSUE) < len(actions) - 1
		if not actions or actions[-1] in (data.START, data.ISSUE):
			assert plan.next_contact_date >= TODAY and plan.expected_close_date > TODAY


def test_recent_months_are_busier_and_the_stock_covers_the_shipments(year):
	plans = year[2]
	by_quarter = Counter((TODAY - p.created_at.astimezone(data.MOSCOW).date()).days // 91 for p in plans)
	assert by_quarter[0] > by_quarter[3]
	need = data.stock_needed(plans)
	assert need and all(data.CATALOG[i][2] == "Product" for i in need)


def test_targets_cover_every_sales_user_and_quarter_without_overlap(year):
	targets = year[3]
	per_user = Counter(t["responsible"] for t in targets)
	assert set(per_user) == set(range(1, len(data.TEAM))) and set(per_user.values()) == {6}
	for user in per_user:
		periods = sorted((t["from_date"], t["to_date"]) for t in targets if t["responsible"] == user)
		for (_s1, e1), (s2, _e2) in pairwise(periods):
			assert s2 == e1 + timedelta(days=1)
		assert periods[-2][0] <= TODAY <= periods[-2][1]
	assert all(t["target_amount"] >= 50000 and t["target_amount"] % 50000 == 0 for t in targets)
	# the quarter under way is asked about as much as a usual one, not what little it has yet
	current = [t for t in targets if t["from_date"] <= TODAY <= t["to_date"]]
	assert all(t["target_amount"] > 1_000_000 for t in current)


def test_the_same_seed_gives_the_same_year_and_another_seed_another():
	one, again, other = data.year(7, TODAY, 50, 12), data.year(7, TODAY, 50, 12), data.year(8, TODAY, 50, 12)
	assert [f.inn for f in one[0]] == [f.inn for f in again[0]]
	assert [p.created_at for p in one[2]] == [p.created_at for p in again[2]]
	assert [f.inn for f in one[0]] != [f.inn for f in other[0]]


def test_logins_are_latin():
	assert data.translit("Киселёва") == "kiseleva"
	assert data.translit("Щукин") == "shchukin"
