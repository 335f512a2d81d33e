# Copyright (c) 2026, crm_app contributors
# For license information, please see license.txt

from frappe.model.document import Document


class CRMUnit(Document):
	"""A unit of measure as Russian documents print it: OKEI code and short name."""
