"""A Client Company filled from the Russian state register through a DaData-compatible
"find party by ID" service (CRM App Settings, section Company Register: on/off, the service URL —
empty means DaData's own — and the API token).

The Frappe side: settings, the HTTP call, the daily cache, permissions and the paths that
use it — the form's "Fill by INN" (`ClientCompany.fill_from_registry`) and a company created
from an INN by a web request or a letter (`registry_values`). Reading the answer and deciding
what to fill is `crm_app.clients.registry.card` (pure, with the request and answer format).

Faults (register off, a bad INN, the service down, slow, refusing the token, rate-limiting,
failing or answering garbage) are `RegistryError`s with a translated message that names
neither the URL nor the token; none of them ever blocks saving a company, a web request or
a letter.
"""

import hashlib
import time

import requests

import frappe
from frappe import _
from frappe.utils import now_datetime

from crm_app.clients import requisites
from crm_app.clients.registry import card
from crm_app.settings import get_settings

TIMEOUT = 5  # seconds for the whole call, answer included; a module constant so that tests can lower it
MAX_ANSWER = 2_000_000  # bytes: a card is a few kilobytes
CACHE_SECONDS = 86400  # one call per INN (and KPP) a day
CACHE_PREFIX = "crm_app:company_registry"


class RegistryError(frappe.ValidationError):
	"""The register cannot give a card: its message (translated, without the URL or the
	token) says why."""


def registry_enabled() -> bool:
	return bool(get_settings().company_registry_enabled)


def service_url() -> str:
	"""The findById/party endpoint called: the setting's URL, or DaData's own when empty.
	Raises RegistryError for a URL that is not http(s)."""
	url = (get_settings().company_registry_url or "").strip() or card.DADATA_URL
	if not url.lower().startswith(("https://", "http://")):
		raise RegistryError(
			_("The Register Service URL in CRM App Settings must start with https:// or http://.")
		)
	return url


def _service() -> tuple[str, str]:
	"""(url, token) of the service; RegistryError when the register is off or DaData's
	own service is set without a token."""
	if not registry_enabled():
		raise RegistryError(
			_(
				"Filling companies from the state register is off. A Sales Manager turns it on in CRM App Settings (Company Register)."
			)
		)
	url = service_url()
	token = get_settings().get_password("company_registry_token", raise_exception=False) or ""
	if not token and url == card.DADATA_URL:
		raise RegistryError(_("Set the Register API Token in CRM App Settings (Company Register)."))
	return url, token


def _http_failure(status: int) -> str | None:
	if status == 200:
		return None
	if status in (401, 403):
		return _("The state register service refused the API token: check it in CRM App Settings.")
	if status == 429:
		return _("The state register service has had too many requests: try again later.")
	if status >= 500:
		return _("The state register service is failing (HTTP {0}): try again later.").format(status)
	return _("The state register service refused the request (HTTP {0}).").format(status)


def call_service(url: str, token: str, body: dict) -> list[dict]:
	"""POST `body` (see `card.request_body`) as JSON to the findById/party endpoint `url`
	with `Authorization: Token <token>` (when there is a token). Returns the answer's
	suggestions (`card.parse_answer`). Raises RegistryError when the service cannot be
	reached, takes longer than TIMEOUT seconds in all (a service that sends its answer a
	byte at a time is cut off too), answers other than 200 or not in that format."""
	headers = {"Content-Type": "application/json", "Accept": "application/json"}
	if token:
		headers["Authorization"] = f"Token {token}"
	deadline = time.monotonic() + TIMEOUT
	slow = _("The state register service did not answer within {0} seconds: try again later.").format(TIMEOUT)
	failure = None
	try:
		with requests.post(
			url, json=body, headers=headers, timeout=TIMEOUT, allow_redirects=False, stream=True
		) as response:
			failure = _http_failure(response.status_code)
			if not failure:
				content = _read_by(response, deadline)
				if content is None:
					failure = slow
	except requests.Timeout:
		failure = slow
	except requests.RequestException:
		failure = _("The state register service cannot be reached: try again later.")
	if not failure:
		try:
			return card.parse_answer(frappe.parse_json(content.decode("utf-8")))
		except (ValueError, UnicodeDecodeError, card.RegistryAnswerError):
			failure = _("The state register service gave an answer that cannot be read.")
	# raised outside the handlers: the network error (which names the URL) is not chained
	raise RegistryError(failure)


def _read_by(response, deadline: float) -> bytes | None:
	"""The body of a streamed `response`, read as it arrives until `deadline`
	(time.monotonic()); None when it is not complete by then. An answer larger than
	MAX_ANSWER is cut there (and then fails to parse)."""
	body = bytearray()
	while len(body) <= MAX_ANSWER:
		remaining = deadline - time.monotonic()
		if remaining <= 0:
			return None
		sock = getattr(getattr(response.raw, "connection", None), "sock", None)
		if sock is not None:
			sock.settimeout(remaining)  # each wait for data ends at the deadline
		try:
			chunk = response.raw.read1(65536, decode_content=True)
		except Exception as e:  # urllib3 wraps the socket's timeout in its own errors
			if time.monotonic() >= deadline or "timed out" in str(e).lower():
				return None
			raise requests.ConnectionError() from None
		if not chunk:
			return bytes(body)
		body += chunk
	return bytes(body)


def _cache_key(url: str, inn: str, kpp: str) -> str:
	service = hashlib.sha256(url.encode()).hexdigest()[:12]
	return f"{CACHE_PREFIX}:{service}:{inn}:{kpp}"


def _clean_requisites(inn: str | None, kpp: str | None) -> tuple[str, str]:
	inn = requisites.compact(inn)
	if not inn:
		raise RegistryError(_("Enter the INN: the company is found in the state register by it."))
	entity_type = card.entity_type_for_inn(inn)
	try:
		inn = requisites.validate_inn(inn, entity_type)
		kpp = requisites.validate_kpp(kpp, entity_type) if entity_type == requisites.LEGAL_ENTITY else ""
	except requisites.RequisiteError as e:
		raise RegistryError(str(e))
	return inn, kpp


def lookup(inn: str | None, kpp: str | None = None) -> dict | None:
	"""The register's suggestion (a findById/party suggestion, see `card`) for an INN and,
	for a branch, its KPP; None when the register has none. The answer is cached for a
	day per service, INN and KPP (failures are not). Raises RegistryError when the
	register is off, the INN or KPP is invalid (refused before any call) or the service
	fails (see `call_service`)."""
	inn, kpp = _clean_requisites(inn, kpp)
	url, token = _service()
	key = _cache_key(url, inn, kpp)
	suggestions = frappe.cache.get_value(key, expires=True)
	if suggestions is None:
		suggestions = call_service(url, token, card.request_body(inn, kpp))
		frappe.cache.set_value(key, suggestions, expires_in_sec=CACHE_SECONDS)
	return card.choose_suggestion(suggestions, inn, kpp)


def cached_card(inn: str | None, kpp: str | None) -> dict | None:
	"""The suggestion for `inn` (and `kpp`) from the day's cached answer to a request made
	with `kpp` (or without one when None); None when no such answer is cached. Makes no
	call."""
	inn, asked_kpp = _clean_requisites(inn, kpp)
	url, _token = _service()
	suggestions = frappe.cache.get_value(_cache_key(url, inn, asked_kpp), expires=True)
	if not suggestions:
		return None
	return card.choose_suggestion(suggestions, inn, requisites.compact(kpp) if kpp else None)


def fill_company(company) -> list[str]:
	"""Fill a Client Company (document) from its register card: its empty fields
	(`card.values_to_fill`), its Register Status and Checked On. Returns the fieldnames
	filled (besides the register's own two). Does not save. Raises RegistryError as
	`lookup`, and when the register has no such company."""
	suggestion = lookup(company.inn, company.kpp)
	if not suggestion:
		if requisites.compact(company.kpp):
			message = _("The state register has no company with INN {0} and KPP {1}.").format(
				requisites.compact(company.inn), requisites.compact(company.kpp)
			)
		else:
			message = _("The state register has no company with INN {0}.").format(
				requisites.compact(company.inn)
			)
		raise RegistryError(message)
	values = fit_to_fields(card.values_to_fill(company.as_dict(), card.company_values(suggestion)))
	company.update(values)
	company.registry_checked_on = now_datetime()
	company.flags.from_registry = True
	return [field for field in card.FILLED_FIELDS if field in values]


def fill_from_registry(company) -> list[str]:
	"""The form's "Fill by INN" (ClientCompany.fill_from_registry): needs write permission
	on the company (create for a new one); fills it (`fill_company`) and saves it unless it
	is new. Returns the translated labels of the fields filled. Every failure is a
	frappe.throw (RegistryError) titled "State Register"."""
	new = company.is_new() or not company.name  # as Document.save tells an insert
	company.check_permission("create" if new else "write")
	try:
		filled = fill_company(company)
	except RegistryError as e:
		failure = str(e)
	else:
		failure = None
	if failure:
		frappe.throw(failure, exc=RegistryError, title=_("State Register"))
	if not new:
		company.save()
	# the form's banner for the status just found (sent back with the document)
	company.set_onload("company_status_alert", status_banner(company.registry_status))
	return [_(company.meta.get_label(field)) for field in filled]


def registry_values(inn: str | None, current: dict) -> dict:
	"""For a company about to be created from an INN (a web request, a letter): the values
	the register adds to `current` (the new company's values; see `card.values_to_fill`),
	with registry_checked_on. Empty when the register is off or has no such company; a
	failure is written to the Error Log (without URL or token) and gives nothing — it never
	blocks the request."""
	if not requisites.compact(inn) or not registry_enabled():
		return {}
	try:
		suggestion = lookup(inn)
	except Exception as e:
		# the message only: a traceback with its frames' locals would show the token
		reason = str(e) if isinstance(e, RegistryError) else type(e).__name__
		frappe.log_error(
			title=_("Company Register Lookup Failed"),
			message=_("INN {0}: {1}").format(requisites.compact(inn), reason),
		)
		return {}
	if not suggestion:
		return {}
	values = fit_to_fields(card.values_to_fill(current, card.company_values(suggestion)))
	values["registry_checked_on"] = now_datetime()
	return values


def fit_to_fields(values: dict) -> dict:
	"""Register values cut to what their Client Company fields hold (a Data field's length,
	140 by default; `card.shorten`), so that a long name never makes the company, or the
	request creating it, fail to save."""
	meta = frappe.get_meta("Client Company")
	for fieldname, value in values.items():
		df = meta.get_field(fieldname)
		if df and df.fieldtype == "Data" and isinstance(value, str):
			values[fieldname] = card.shorten(value, int(df.length or 140))
	return values


def company_status_alert(client_company: str | None) -> dict | None:
	"""A banner for a form showing a Client Company (e.g. Deal.onload): {"status",
	"message" (translated), "indicator": "red" | "orange"} when the register lists the
	company as Liquidated or Bankrupt (red) or Liquidating or Reorganizing (orange); None
	otherwise, and for no company."""
	if not client_company:
		return None
	return status_banner(frappe.db.get_value("Client Company", client_company, "registry_status"))


def status_banner(status: str | None) -> dict | None:
	"""The banner a form shows for a Register Status (`card.status_alert`): the one source of
	its messages for the Client Company and the Deal forms (both read it from __onload)."""
	return card.status_alert(status)


REGISTER_FIELDS = ("registry_status", "registry_checked_on")


def keep_register_fields(company):
	"""The register's own fields (status, checked on) come only from the register: a save of
	a stored company from anywhere else (form, REST, set_value, import) keeps their stored
	values, so clearing "Liquidated" cannot get round the Issue Invoice refusal. A new
	company that arrives with them (the form after Fill by INN, REST, an import) gets them
	again from the register's answer for its INN and KPP — the day's cached answer after a
	Fill by INN, so no second call — and none when the register is off or has no card."""
	if company.flags.from_registry:
		return
	if company.is_new():
		if company.get("registry_status") or company.get("registry_checked_on"):
			company.update(_register_fields_from_register(company))
		return
	before = company.get_doc_before_save()
	for fieldname in REGISTER_FIELDS:
		company.set(fieldname, before.get(fieldname) if before else None)


def _register_fields_from_register(company) -> dict:
	suggestion = None
	if registry_enabled():
		try:
			# the answer Fill by INN got (asked with or without the KPP the card then filled)
			suggestion = (
				cached_card(company.inn, company.kpp)
				or cached_card(company.inn, None)
				or lookup(company.inn, company.kpp)
			)
		except Exception:
			suggestion = None  # never blocks saving: the company is stored unchecked
	if not suggestion:
		return dict.fromkeys(REGISTER_FIELDS)
	return {
		"registry_status": card.company_values(suggestion)["registry_status"],
		"registry_checked_on": company.get("registry_checked_on") or now_datetime(),
	}
