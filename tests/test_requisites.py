import pytest
from stdnum.ru import ogrn as stdnum_ogrn

from crm_app.clients.requisites import (
	LEGAL_ENTITY,
	SOLE_PROPRIETOR,
	RequisiteError,
	ogrn_check_digit,
	validate_bik,
	validate_correspondent_account,
	validate_inn,
	validate_kpp,
	validate_ogrn,
	validate_settlement_account,
)


@pytest.mark.parametrize(
	"value, entity, expected",
	[
		("7707083893", LEGAL_ENTITY, "7707083893"),
		(" 7707 083 893 ", LEGAL_ENTITY, "7707083893"),
		("500100732259", SOLE_PROPRIETOR, "500100732259"),
		("7736050003", LEGAL_ENTITY, "7736050003"),
	],
)
def test_valid_inn(value, entity, expected):
	assert validate_inn(value, entity) == expected


@pytest.mark.parametrize(
	"value, entity",
	[
		("7707083894", LEGAL_ENTITY),  # last digit altered
		("7707083883", LEGAL_ENTITY),  # a middle digit altered
		("500100732258", SOLE_PROPRIETOR),  # 12th check digit altered
		("500100732249", SOLE_PROPRIETOR),  # 11th check digit altered
		("500100732259", LEGAL_ENTITY),  # right digits, wrong entity
		("7707083893", SOLE_PROPRIETOR),
		("0000000000", LEGAL_ENTITY),
		("000000000000", SOLE_PROPRIETOR),
		("77070838", LEGAL_ENTITY),
		("77070838A3", LEGAL_ENTITY),
		("", LEGAL_ENTITY),
	],
)
def test_invalid_inn(value, entity):
	with pytest.raises(RequisiteError):
		validate_inn(value, entity)


def test_kpp():
	assert validate_kpp("7736 01 001") == "773601001"
	assert validate_kpp("7736AB001") == "7736AB001"
	assert validate_kpp("") == ""
	for bad in ("77360100", "7736010011", "7736ab001", "A73601001", "773601A01", "000000000"):
		with pytest.raises(RequisiteError):
			validate_kpp(bad)
	with pytest.raises(RequisiteError):
		validate_kpp("773601001", SOLE_PROPRIETOR)


def test_ogrn_check_digit_rules():
	# OGRN: first 12 digits mod 11 mod 10
	assert ogrn_check_digit("1027700132195") == 1027700132195 // 10 % 11 % 10
	# OGRNIP: first 14 digits mod 13 mod 10; the remainder 10 gives 0
	assert 30477000000002 % 13 == 10
	assert ogrn_check_digit("304770000000020") == 0


@pytest.mark.parametrize(
	"value, entity",
	[
		("1027700132195", LEGAL_ENTITY),
		("1027739609391", LEGAL_ENTITY),
		("304500116000157", SOLE_PROPRIETOR),
		("304770000000020", SOLE_PROPRIETOR),  # remainder 10
	],
)
def test_valid_ogrn(value, entity):
	assert validate_ogrn(value, entity) == value


@pytest.mark.parametrize(
	"value, entity",
	[
		("1027700132196", LEGAL_ENTITY),
		("1027700132185", LEGAL_ENTITY),
		("0000000000000", LEGAL_ENTITY),
		("304500116000158", SOLE_PROPRIETOR),
		("304770000000021", SOLE_PROPRIETOR),
		("1027700132195", SOLE_PROPRIETOR),
		("304500116000157", LEGAL_ENTITY),
		("000000000000000", SOLE_PROPRIETOR),
	],
)
def test_invalid_ogrn(value, entity):
	with pytest.raises(RequisiteError):
		validate_ogrn(value, entity)


def test_stdnum_ogrnip_rule_is_not_used():
	"""stdnum refuses this valid OGRNIP (remainder 10); our rule accepts it."""
	assert not stdnum_ogrn.is_valid("304770000000020")
	assert validate_ogrn("304770000000020", SOLE_PROPRIETOR) == "304770000000020"


def test_bank_details():
	assert validate_bik("044525225") == "044525225"
	for bad in ("04452522", "144525225", "000000000"):
		with pytest.raises(RequisiteError):
			validate_bik(bad)
	assert validate_correspondent_account("30101810400000000225", "044525225") == "30101810400000000225"
	with pytest.raises(RequisiteError):
		validate_correspondent_account("30101810400000000226", "044525225")
	with pytest.raises(RequisiteError):
		validate_correspondent_account("40101810400000000225", "044525225")
	assert validate_settlement_account("4070 2810 9380 0000 0001", "044525225") == "40702810938000000001"
	with pytest.raises(RequisiteError):
		validate_settlement_account("40702810938000000002", "044525225")
