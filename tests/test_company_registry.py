"""Reading the state register's card (DaData findById/party answers) into a Client
Company's values, choosing the branch, mapping the status and the never-overwrite rule.
The sample answers are hand-written (crm_app/tests/registry_samples.json, shared with
the bench layer's stub server)."""

import json
from pathlib import Path

import pytest

from crm_app.clients.registry import card

SAMPLES = json.loads(
	(Path(__file__).resolve().parent.parent / "crm_app" / "tests" / "registry_samples.json").read_text()
)
LEGAL, SOLE, BRANCHES, LIQUIDATED, EMPTY = (
	"7712345671",
	"771234567859",
	"7810987652",
	"5404112238",
	"7707083893",
)


def found(inn: str, kpp: str | None = None) -> dict | None:
	suggestion = card.choose_suggestion(card.parse_answer(SAMPLES[inn]), inn, kpp)
	return card.company_values(suggestion) if suggestion else None


def test_legal_entity():
	assert found(LEGAL) == {
		"company_name": 'ООО "РОМАШКА"',
		"entity_type": "Legal Entity",
		"kpp": "771201001",
		"ogrn": "1147746123458",
		"director": "Иванов Иван Иванович",
		"address": "125009, г Москва, Тверской р-н, ул Тверская, д 7",
		"registry_status": "Active",
	}


def test_sole_proprietor_is_their_own_director():
	assert found(SOLE) == {
		"company_name": "ИП Петров Пётр Петрович",
		"entity_type": "Sole Proprietor",
		"kpp": "",
		"ogrn": "318774600123452",
		"director": "Петров Пётр Петрович",
		"address": "101000, г Москва",
		"registry_status": "Active",
	}


def test_branch_chosen_by_kpp_else_the_head_office():
	assert found(BRANCHES, "781045001")["address"].startswith("195000")
	assert found(BRANCHES, "500245001")["kpp"] == "500245001"
	head = found(BRANCHES)  # the head office is not the first suggestion
	assert (head["kpp"], head["address"][:6]) == ("781001001", "190000")
	assert found(BRANCHES, "781099001") is None  # another branch's card is not this one's


def test_suggestions_of_another_inn_are_ignored():
	assert card.choose_suggestion(card.parse_answer(SAMPLES[LEGAL]), BRANCHES) is None


def test_liquidated_and_the_other_statuses():
	assert found(LIQUIDATED)["registry_status"] == "Liquidated"
	for raw, status in [
		("ACTIVE", "Active"),
		("LIQUIDATING", "Liquidating"),
		("LIQUIDATED", "Liquidated"),
		("BANKRUPT", "Bankrupt"),
		("REORGANIZING", "Reorganizing"),
		("SOMETHING_NEW", "Unknown"),
		(None, "Unknown"),
		("", "Unknown"),
	]:
		assert card.map_status(raw) == status
	assert found("3663123450")["registry_status"] == "Bankrupt"
	assert found("6165432109")["registry_status"] == "Liquidating"
	assert found("5027010012")["registry_status"] == "Reorganizing"


def test_empty_answer():
	assert card.parse_answer(SAMPLES[EMPTY]) == []
	assert found(EMPTY) is None


@pytest.mark.parametrize(
	"payload",
	[None, [], "text", {}, {"suggestions": None}, {"suggestions": [{"value": "x"}]}, {"suggestions": ["x"]}],
)
def test_garbage_is_refused(payload):
	with pytest.raises(card.RegistryAnswerError):
		card.parse_answer(payload)


def test_missing_parts_and_invalid_requisites_are_left_empty():
	suggestion = {
		"value": "ООО Ромашка",
		"data": {"inn": LEGAL, "kpp": "12", "ogrn": "1147746123450", "management": None, "state": None},
	}
	assert card.company_values(suggestion) == {
		"company_name": "ООО Ромашка",
		"entity_type": "Legal Entity",
		"kpp": "",
		"ogrn": "",  # wrong check digit: the company could not be saved with it
		"director": "",
		"address": "",
		"registry_status": "Unknown",
	}


def test_request_body():
	assert card.request_body(LEGAL) == {"query": LEGAL, "branch_type": "MAIN"}
	assert card.request_body(BRANCHES, "781045001") == {"query": BRANCHES, "kpp": "781045001"}
	assert card.request_body(SOLE) == {"query": SOLE}


def test_only_empty_fields_are_filled():
	typed = {
		"company_name": "Ромашка (наш клиент)",
		"entity_type": "Legal Entity",
		"inn": LEGAL,
		"kpp": "",
		"ogrn": "",
		"director": "И. И. Иванов",
		"address": "  ",
		"registry_status": "",
	}
	assert card.values_to_fill(typed, found(LEGAL)) == {
		"kpp": "771201001",
		"ogrn": "1147746123458",
		"address": "125009, г Москва, Тверской р-н, ул Тверская, д 7",
		"registry_status": "Active",
	}
	everything = {**found(LEGAL), "inn": LEGAL, "registry_status": "Active"}
	assert card.values_to_fill(everything, found(LIQUIDATED)) == {"registry_status": "Liquidated"}


def test_entity_type_follows_the_inn():
	"""The entity type defaults to Legal Entity: a 12-digit INN is a sole proprietor's."""
	new = {"company_name": "", "entity_type": "Legal Entity", "inn": SOLE}
	values = card.values_to_fill(new, found(SOLE))
	assert values["entity_type"] == "Sole Proprietor"
	assert "kpp" not in values
	chosen = {"company_name": "x", "entity_type": "Legal Entity", "inn": LEGAL}
	assert "entity_type" not in card.values_to_fill(chosen, found(LEGAL))


def test_status_alerts():
	assert card.status_alert("Liquidated")["indicator"] == "red"
	assert card.status_alert("Bankrupt")["indicator"] == "red"
	assert card.status_alert("Liquidating")["indicator"] == "orange"
	assert card.status_alert("Reorganizing")["indicator"] == "orange"
	assert card.status_alert("Reorganizing")["status"] == "Reorganizing"
	for status in ("Active", "Unknown", "", None):
		assert card.status_alert(status) is None


def test_shorten_cuts_at_a_word_and_marks_the_cut():
	from crm_app.clients.registry.card import shorten

	assert shorten("ООО Ромашка", 140) == "ООО Ромашка"
	long = "ФЕДЕРАЛЬНОЕ ГОСУДАРСТВЕННОЕ БЮДЖЕТНОЕ УЧРЕЖДЕНИЕ " * 5
	cut = shorten(long.strip(), 60)
	assert len(cut) <= 60 and cut.endswith("…")
	assert cut[:-1] == long[: len(cut) - 1] and long[len(cut) - 1] == " "
	assert len(shorten("x" * 300, 140)) == 140
