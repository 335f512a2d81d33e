"""Phone and e-mail normalisation shared by the client registries.

Pure functions on top of `phonenumbers` (already in Frappe's environment), so
the offline tests call them directly.
"""

import re

import phonenumbers

from crm_app.utils.translate import _

DEFAULT_REGION = "RU"

# Deliberately simple: one @, no spaces, a dot in the domain. Frappe's own
# validate_email_address runs on top of this inside a site.
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


class ContactInfoError(ValueError):
	"""A phone number or e-mail address that cannot be used."""


def normalize_phone(value: str | None, region: str | None = None) -> str:
	"""Return the number in E.164 (`+74951234567`); empty input gives "".

	Numbers without a country code are read in `region` (ISO 3166 alpha-2,
	default RU). Invalid numbers raise `ContactInfoError`.
	"""
	raw = (value or "").strip()
	if not raw:
		return ""
	region = (region or DEFAULT_REGION).upper()
	try:
		number = phonenumbers.parse(raw, region)
	except phonenumbers.NumberParseException:
		raise ContactInfoError(_("{0} is not a phone number.").format(raw)) from None
	if not phonenumbers.is_valid_number(number):
		raise ContactInfoError(_("Phone number {0} is not valid.").format(raw))
	return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_email(value: str | None) -> str:
	"""Trim and lower-case an e-mail address; an invalid one raises `ContactInfoError`."""
	email = (value or "").strip().lower()
	if not email:
		return ""
	if not _EMAIL_RE.match(email):
		raise ContactInfoError(_("{0} is not a valid e-mail address.").format(value.strip()))
	return email


def build_full_name(*parts: str | None) -> str:
	"""Join name parts with single spaces, skipping empty ones."""
	return " ".join(p.strip() for p in parts if p and p.strip())
