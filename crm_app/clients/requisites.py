"""Russian company requisites: INN, KPP, OGRN / OGRNIP, BIK and bank accounts.

Pure functions: each takes the raw value, returns it normalised (spaces
stripped) or raises `RequisiteError` with a translated message. No Frappe
import, so the offline tests call them directly.

INN check digits come from python-stdnum (`stdnum.ru.inn`). OGRN and OGRNIP are
checked here: stdnum's OGRNIP rule takes the remainder modulo 13 without the
final modulo 10, so it refuses every valid OGRNIP whose remainder is 10, 11 or 12.
"""

import re

from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.ru import inn as stdnum_inn

from crm_app.translate import _

LEGAL_ENTITY = "Legal Entity"
SOLE_PROPRIETOR = "Sole Proprietor"

_KPP_RE = re.compile(r"^\d{4}[\dA-Z]{2}\d{3}$")


class RequisiteError(ValueError):
	"""A requisite that is malformed or fails its check digits."""


def compact(value: str | None) -> str:
	"""Strip every kind of white space; None becomes an empty string."""
	return re.sub(r"\s+", "", value or "")


def _digits(value: str, length: int, label: str) -> str:
	if not value.isdigit() or len(value) != length:
		raise RequisiteError(_("{0} must consist of {1} digits.").format(label, length))
	if not value.strip("0"):
		raise RequisiteError(_("{0} cannot consist of zeros only.").format(label))
	return value


def validate_inn(value: str | None, entity_type: str = LEGAL_ENTITY) -> str:
	"""INN: 10 digits for a legal entity, 12 for a sole proprietor, with check digits."""
	inn = compact(value)
	length = 12 if entity_type == SOLE_PROPRIETOR else 10
	_digits(inn, length, _("INN"))
	try:
		stdnum_inn.validate(inn)
	except StdnumValidationError:
		raise RequisiteError(_("INN {0} has wrong check digits.").format(inn)) from None
	return inn


def validate_kpp(value: str | None, entity_type: str = LEGAL_ENTITY) -> str:
	"""KPP: 9 characters, `NNNNXXNNN` where XX are digits or capital Latin letters.

	Only legal entities have a KPP; an empty value is accepted (branches aside,
	a client's KPP is often unknown at first contact).
	"""
	kpp = compact(value)
	if not kpp:
		return ""
	if entity_type == SOLE_PROPRIETOR:
		raise RequisiteError(_("A sole proprietor has no KPP."))
	if not _KPP_RE.match(kpp):
		raise RequisiteError(
			_("KPP must have 9 characters: 4 digits, 2 digits or capital Latin letters, 3 digits.")
		)
	if not kpp.strip("0"):
		raise RequisiteError(_("{0} cannot consist of zeros only.").format(_("KPP")))
	return kpp


def ogrn_check_digit(number: str) -> int:
	"""Check digit of a 13-digit OGRN (first 12 digits mod 11 mod 10) or a
	15-digit OGRNIP (first 14 digits mod 13 mod 10)."""
	if len(number) == 13:
		return int(number[:12]) % 11 % 10
	if len(number) == 15:
		return int(number[:14]) % 13 % 10
	raise ValueError("OGRN has 13 digits, OGRNIP 15")


def validate_ogrn(value: str | None, entity_type: str = LEGAL_ENTITY) -> str:
	"""OGRN (13 digits) for a legal entity, OGRNIP (15 digits) for a sole proprietor."""
	ogrn = compact(value)
	if entity_type == SOLE_PROPRIETOR:
		label, length = _("OGRNIP"), 15
	else:
		label, length = _("OGRN"), 13
	_digits(ogrn, length, label)
	if ogrn_check_digit(ogrn) != int(ogrn[-1]):
		raise RequisiteError(_("{0} {1} has a wrong check digit.").format(label, ogrn))
	return ogrn


def validate_bik(value: str | None) -> str:
	"""BIK of a Russian bank: 9 digits starting with 04."""
	bik = compact(value)
	_digits(bik, 9, _("BIK"))
	if not bik.startswith("04"):
		raise RequisiteError(_("BIK must start with 04."))
	return bik


_ACCOUNT_WEIGHTS = [7, 1, 3] * 7 + [7, 1]


def _account_key_ok(prefix: str, account: str) -> bool:
	digits = prefix + account
	return sum(int(d) * w % 10 for d, w in zip(digits, _ACCOUNT_WEIGHTS, strict=True)) % 10 == 0


def validate_settlement_account(value: str | None, bik: str | None) -> str:
	"""Settlement account: 20 digits whose control key matches the bank's BIK."""
	account = compact(value)
	_digits(account, 20, _("Settlement account"))
	bik = compact(bik)
	if len(bik) == 9 and bik.isdigit() and not _account_key_ok(bik[-3:], account):
		raise RequisiteError(_("Settlement account {0} does not match BIK {1}.").format(account, bik))
	return account


def validate_correspondent_account(value: str | None, bik: str | None) -> str:
	"""Correspondent account: 20 digits starting with 301, keyed with the BIK."""
	account = compact(value)
	_digits(account, 20, _("Correspondent account"))
	if not account.startswith("301"):
		raise RequisiteError(_("A correspondent account starts with 301."))
	bik = compact(bik)
	if len(bik) == 9 and bik.isdigit() and not _account_key_ok("0" + bik[4:6], account):
		raise RequisiteError(_("Correspondent account {0} does not match BIK {1}.").format(account, bik))
	return account


def requisites_key(inn: str | None, kpp: str | None) -> str | None:
	"""The unique key of a company's requisites: "INN/KPP" ("INN/" without a KPP), None
	without an INN."""
	return f"{inn}/{kpp or ''}" if inn else None
