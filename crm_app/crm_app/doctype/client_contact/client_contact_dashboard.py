from frappe import _


def get_data():
	return {
		"fieldname": "contact",
		"transactions": [{"label": _("Sales"), "items": ["Deal"]}],
	}
