"""Frappe-side wrappers that turn the pure validators' errors into `frappe.throw`."""

import frappe
from frappe import _

from crm_app.utils import contact_info, requisites
from crm_app.utils.settings import phone_region


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


def clean_phones(doc, *fieldnames: str):
	region = phone_region()
	for fieldname in fieldnames:
		try:
			doc.set(fieldname, contact_info.normalize_phone(doc.get(fieldname), region))
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
