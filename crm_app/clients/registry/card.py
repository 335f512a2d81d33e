"""A company's card from the Russian state register (EGRUL / EGRIP), as DaData's
"find party by ID" service answers it: the pure part — reading the answer, choosing the
branch, mapping the status, deciding which of a Client Company's fields to fill.

No Frappe import: the offline tests call these functions directly. The HTTP call, the
cache, the settings and the permission check are in `crm_app.clients.registry.lookup`.

The service (https://dadata.ru/api/find-party/) takes a POST of JSON

	{"query": "<INN>", "kpp": "<KPP>", "branch_type": "MAIN"}

(`kpp` and `branch_type` optional) and answers

	{"suggestions": [{"value": "<short name with the legal form>", "data": {
		"inn": "...", "kpp": "...", "ogrn": "...", "type": "LEGAL" | "INDIVIDUAL",
		"branch_type": "MAIN" | "BRANCH" | null,
		"name": {"short_with_opf": "...", "full_with_opf": "...", "full": "...", ...},
		"opf": {"short": "<legal form>", ...}, "fio": {"surname", "name", "patronymic"},
		"management": {"name": "...", "post": "..."},
		"state": {"status": "ACTIVE" | "LIQUIDATING" | "LIQUIDATED" | "BANKRUPT" | "REORGANIZING"},
		"address": {"value": "...", "unrestricted_value": "...", "data": {...}}, ...}}]}

One suggestion per branch of a legal entity (the head office has branch_type MAIN),
one for a sole proprietor; an unknown INN gives an empty list.
"""

from crm_app.clients import requisites
from crm_app.translate import _

DADATA_URL = "https://suggestions.dadata.ru/suggestions/api/4_1/rs/findById/party"

ACTIVE = "Active"
LIQUIDATING = "Liquidating"
LIQUIDATED = "Liquidated"
BANKRUPT = "Bankrupt"
REORGANIZING = "Reorganizing"
UNKNOWN = "Unknown"

# DaData's state.status → the Client Company's Register Status (anything else: Unknown)
STATUSES = {
	"ACTIVE": ACTIVE,
	"LIQUIDATING": LIQUIDATING,
	"LIQUIDATED": LIQUIDATED,
	"BANKRUPT": BANKRUPT,
	"REORGANIZING": REORGANIZING,
}
# no invoice is issued to such a company; the others of WARNED_STATUSES only warn
REFUSED_STATUSES = frozenset({LIQUIDATED, BANKRUPT})
WARNED_STATUSES = frozenset({LIQUIDATING, REORGANIZING})

# The Client Company fields a register card fills, in the form's order; each only while empty.
FILLED_FIELDS = ("company_name", "entity_type", "kpp", "ogrn", "director", "address")
# Written on every check: they are the register's, read-only in the form.
REGISTER_FIELDS = ("registry_status",)


class RegistryAnswerError(ValueError):
	"""The service answered something that is not a findById/party answer."""


def request_body(inn: str, kpp: str | None = None) -> dict:
	"""The JSON body of a findById/party request for an INN (and a branch's KPP).

	Without a KPP, a legal entity's (10-digit INN) head office is asked for
	(branch_type MAIN); a sole proprietor (12 digits) has no branches."""
	body = {"query": inn}
	if kpp:
		body["kpp"] = kpp
	elif len(inn) == 10:
		body["branch_type"] = "MAIN"
	return body


def parse_answer(payload) -> list[dict]:
	"""The suggestions of a decoded findById/party answer, each a dict with a `data` dict.

	Raises RegistryAnswerError when `payload` does not have that shape (an error page,
	another service's JSON)."""
	if not isinstance(payload, dict) or not isinstance(payload.get("suggestions"), list):
		raise RegistryAnswerError("no suggestions list")
	suggestions = payload["suggestions"]
	if not all(isinstance(s, dict) and isinstance(s.get("data"), dict) for s in suggestions):
		raise RegistryAnswerError("a suggestion without data")
	return suggestions


def choose_suggestion(suggestions: list[dict], inn: str, kpp: str | None = None) -> dict | None:
	"""The suggestion for this INN: with a KPP, the branch with that KPP (None if there
	is none — another branch's card is not this one's); without, the head office
	(branch_type MAIN), else the first. Suggestions of another INN are ignored."""
	mine = [s for s in suggestions if str(s["data"].get("inn") or "") == inn]
	if kpp:
		return next((s for s in mine if str(s["data"].get("kpp") or "") == kpp), None)
	return next((s for s in mine if s["data"].get("branch_type") == "MAIN"), mine[0] if mine else None)


def map_status(status) -> str:
	"""DaData's state.status as a Register Status: ACTIVE → Active, …; anything else
	(missing, a new code) → Unknown."""
	return STATUSES.get(str(status or "").upper(), UNKNOWN)


def _text(value) -> str:
	return " ".join(str(value).split()) if isinstance(value, str | int) else ""


def _get(data: dict, *path) -> str:
	for key in path[:-1]:
		data = data.get(key) if isinstance(data.get(key), dict) else {}
	return _text(data.get(path[-1]))


def _valid(check, value: str, entity_type: str) -> str:
	"""A requisite the register gave, if it passes the app's own check (else left out:
	a card must never make the company impossible to save)."""
	try:
		return check(value, entity_type) if value else ""
	except requisites.RequisiteError:
		return ""


def company_values(suggestion: dict) -> dict:
	"""A suggestion as Client Company values: company_name (with the legal form, from
	name.short_with_opf), entity_type, kpp, ogrn (OGRN or OGRNIP), director (for a sole
	proprietor the person themself), address (with its postcode) and registry_status.
	Values the register lacks are empty strings."""
	data = suggestion["data"]
	sole = str(data.get("type") or "").upper() == "INDIVIDUAL"
	entity_type = requisites.SOLE_PROPRIETOR if sole else requisites.LEGAL_ENTITY
	name = (
		_get(data, "name", "short_with_opf")
		or _get(data, "name", "full_with_opf")
		or _text(suggestion.get("value"))
	)
	if sole:
		fio = data.get("fio") if isinstance(data.get("fio"), dict) else {}
		person = " ".join(filter(None, (_text(fio.get(k)) for k in ("surname", "name", "patronymic"))))
		director = person or _get(data, "name", "full")
	else:
		director = _get(data, "management", "name")
	return {
		"company_name": name,
		"entity_type": entity_type,
		"kpp": "" if sole else _valid(requisites.validate_kpp, _get(data, "kpp"), entity_type),
		"ogrn": _valid(requisites.validate_ogrn, _get(data, "ogrn"), entity_type),
		"director": director,
		"address": _get(data, "address", "unrestricted_value") or _get(data, "address", "value"),
		"registry_status": map_status(_get(data, "state", "status")),
	}


def shorten(text: str, limit: int) -> str:
	"""`text` cut to at most `limit` characters at a word boundary, ending with "…" when
	cut (a register's name can be longer than a field holds)."""
	if len(text) <= limit:
		return text
	cut = text[: limit - 1]
	if " " in cut[limit // 2 :]:
		cut = cut[: cut.rindex(" ")]
	return cut.rstrip(" ,.;:-") + "…"


def entity_type_for_inn(inn: str) -> str:
	"""12 digits: a sole proprietor's INN; otherwise a legal entity's."""
	return requisites.SOLE_PROPRIETOR if len(requisites.compact(inn)) == 12 else requisites.LEGAL_ENTITY


def values_to_fill(current: dict, found: dict) -> dict:
	"""Which of `found` (company_values) to write over `current` (the company's values):
	each of FILLED_FIELDS only while empty — what a user typed is never overwritten —
	and the register status always. The entity type (a required Select whose default is
	Legal Entity) also follows the register when it does not fit the INN: a 12-digit INN
	is a sole proprietor's, who has no KPP."""
	values = {}
	for field in FILLED_FIELDS:
		if found.get(field) and not _text(current.get(field)):
			values[field] = found[field]
	inn_type = entity_type_for_inn(_text(current.get("inn")))
	if found.get("entity_type") == inn_type and current.get("entity_type") != inn_type:
		values["entity_type"] = inn_type
	if values.get("entity_type", current.get("entity_type")) == requisites.SOLE_PROPRIETOR:
		values.pop("kpp", None)
	for field in REGISTER_FIELDS:
		if found.get(field):
			values[field] = found[field]
	return values


def status_alert(status: str | None) -> dict | None:
	"""What a form shows for a Register Status: {"status", "message", "indicator"} with
	indicator "red" (Liquidated, Bankrupt: no invoice is issued) or "orange"
	(Liquidating, Reorganizing: a warning); None for any other status."""
	messages = {
		LIQUIDATED: _("By the state register this company is liquidated: no invoice can be issued to it."),
		BANKRUPT: _("By the state register this company is bankrupt: no invoice can be issued to it."),
		LIQUIDATING: _(
			"By the state register this company is being liquidated: check before you invoice it."
		),
		REORGANIZING: _(
			"By the state register this company is being reorganized: check its requisites before you invoice it."
		),
	}
	if status not in messages:
		return None
	return {
		"status": status,
		"message": messages[status],
		"indicator": "red" if status in REFUSED_STATUSES else "orange",
	}
