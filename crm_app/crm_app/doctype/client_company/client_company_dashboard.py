from frappe import _


def get_data():
	return {
		"fieldname": "client_company",
		"non_standard_fieldnames": {"Client Contact": "company"},
		"transactions": [
			{"label": _("People"), "items": ["Client Contact"]},
			{"label": _("Sales"), "items": ["Deal"]},
		],
	}
