"""Phone and e-mail normalisation shared by the client registries.

Pure functions on top of `phonenumbers` (already in Frappe's environment), so
the offline tests call them directly.
"""

import re

import phonenumbers

from crm_app.translate import _

DEFAULT_REGION = "RU"

# Deliberately simple: one @, no spaces, a dot in the domain. Frappe's own
# validate_email_address runs on top of this inside a site.
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


class ContactInfoError(ValueError):
	"""A phone number or e-mail address that cannot be used."""


def split_phone(value: str | None, region: str | None = None) -> tuple[str, str]:
	"""Read a phone number as people write it and return (E.164 number, extension):
	`+7 495 123-45-67 доб. 123` → (`+74951234567`, `123`). Empty input gives ("", "").

	Numbers without a country code are read in `region` (ISO 3166 alpha-2, default RU).
	Extensions are recognised as libphonenumber does ("доб.", "ext.", "x", "#", ","):
	RFC 3966's `;ext=` parameter, kept apart because an E.164 number cannot carry it.
	Anything that cannot be read whole raises `ContactInfoError`: nothing is dropped.
	"""
	raw = (value or "").strip()
	if not raw:
		return "", ""
	region = (region or DEFAULT_REGION).upper()
	try:
		number = phonenumbers.parse(raw, region)
	except phonenumbers.NumberParseException:
		raise ContactInfoError(_("{0} is not a phone number.").format(raw)) from None
	if not phonenumbers.is_valid_number(number):
		raise ContactInfoError(_("Phone number {0} is not valid.").format(raw))
	return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), number.extension or ""


def normalize_phone(value: str | None, region: str | None = None) -> str:
	"""Return a number dialled directly (a mobile, for SMS) in E.164 (`+74951234567`);
	empty input gives "". A number with an extension raises `ContactInfoError`: it
	cannot take an SMS, and its extension must not be lost."""
	number, extension = split_phone(value, region)
	if extension:
		raise ContactInfoError(
			_("{0} has an extension: a mobile number is dialled directly. Put it in Phone.").format(
				(value or "").strip()
			)
		)
	return number


def clean_extension(value: str | None) -> str:
	"""An extension as stored: digits only; anything else raises `ContactInfoError`."""
	extension = (value or "").strip()
	if extension and not extension.isdigit():
		raise ContactInfoError(_("Extension {0} must be digits only.").format(extension))
	return extension


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
