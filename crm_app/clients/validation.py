"""Frappe-side wrappers that turn the pure validators' errors into `frappe.throw`."""

import frappe
from frappe import _

from crm_app.clients import contact_info, requisites
from crm_app.settings import phone_region


def throw_invalid(exc: ValueError, title: str | None = None):
	frappe.throw(str(exc), exc=frappe.ValidationError, title=title or _("Invalid Value"))


def clean_requisites(doc, entity_type: str, fields: dict[str, str]):
	"""Normalise and check requisites in place.

	`fields` maps a kind ("inn", "kpp", "ogrn") to the fieldname holding it on `doc`.
	Empty values are left empty.
	"""
	checks = {
		"inn": requisites.validate_inn,
		"kpp": requisites.validate_kpp,
		"ogrn": requisites.validate_ogrn,
	}
	for kind, fieldname in fields.items():
		value = requisites.compact(doc.get(fieldname))
		if not value:
			doc.set(fieldname, "")
			continue
		try:
			doc.set(fieldname, checks[kind](value, entity_type))
		except requisites.RequisiteError as e:
			throw_invalid(e, _("Invalid Requisites"))


def clean_phone(doc, fieldname: str, extension_field: str | None = None):
	"""Store `fieldname` in E.164. With `extension_field`, an extension written in the
	number (`+7 495 123-45-67 доб. 123`) moves to that field; without one, a number with
	an extension is refused (a mobile). Unreadable input is refused, never truncated."""
	try:
		if not extension_field:
			doc.set(fieldname, contact_info.normalize_phone(doc.get(fieldname), phone_region()))
			return
		number, extension = contact_info.split_phone(doc.get(fieldname), phone_region())
		doc.set(fieldname, number)
		doc.set(extension_field, contact_info.clean_extension(extension or doc.get(extension_field)))
		if not number and doc.get(extension_field):
			frappe.throw(_("An extension needs a phone number."), title=_("Invalid Phone Number"))
	except contact_info.ContactInfoError as e:
		throw_invalid(e, _("Invalid Phone Number"))


def clean_email(doc, fieldname: str = "email"):
	try:
		email = contact_info.normalize_email(doc.get(fieldname))
	except contact_info.ContactInfoError as e:
		throw_invalid(e, _("Invalid Email Address"))
	if email:
		frappe.utils.validate_email_address(email, throw=True)
	doc.set(fieldname, email)
