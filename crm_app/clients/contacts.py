"""Finding a Client Contact by what a request or a mail gives: the e-mail address, or the
phone number with its extension (a mobile has none)."""

import frappe
from frappe import _


def phone_label(number: str | None, extension: str | None) -> str:
	return _("{0} ext. {1}").format(number, extension) if number and extension else number or ""


def lines(contact) -> set[tuple[str, str]]:
	"""The (number, extension) pairs a contact answers on: the phone with its extension,
	and the mobile (no extension)."""
	found = set()
	if contact.get("phone"):
		found.add((contact.phone, contact.get("phone_ext") or ""))
	if contact.get("mobile"):
		found.add((contact.mobile, ""))
	return found


def same_line(contact, other, fieldname: str) -> bool:
	"""Does `other` answer on the number of `contact`'s `fieldname` (with its extension)?"""
	number = contact.get(fieldname)
	if not number:
		return False
	extension = (contact.get("phone_ext") or "") if fieldname == "phone" else ""
	return (number, extension) in lines(other)


def find_contact_by_email(email: str) -> str | None:
	"""Name of the oldest contact with this (normalised) e-mail address."""
	found = frappe.get_all(
		"Client Contact", filters={"email": email}, pluck="name", order_by="creation asc", limit=1
	)
	return found[0] if found else None


def find_contact_by_phone(number: str, extension: str = "") -> str | None:
	"""Name of the oldest contact answering on this E.164 number with this extension
	(a mobile has none)."""
	candidates = frappe.get_all(
		"Client Contact",
		or_filters={"phone": number, "mobile": number},
		fields=["name", "phone", "phone_ext", "mobile"],
		order_by="creation asc",
		limit=20,
	)
	return next((c.name for c in candidates if (number, extension or "") in lines(c)), None)
