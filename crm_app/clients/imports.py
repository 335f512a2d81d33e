"""Data Import of the registries."""

import frappe


def skip_creation_version(doc):
	"""A record created by a Data Import gets no "created" Version: the import's own
	log lists what it created, and a Version per row costs a third of a big import."""
	if frappe.flags.in_import and doc.is_new():
		doc.flags.ignore_version = True
