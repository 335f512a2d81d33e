# Copyright (c) 2026, crm_app contributors
# For license information, please see license.txt

from frappe.model.document import Document


class CRMDemoRecord(Document):
	"""One record the demo data made, in the order it was made (crm_app.demo.records)."""
