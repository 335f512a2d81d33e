"""The Deal form's connections to its ERPNext documents (only with ERPNext)."""

from frappe import _

from crm_app.erpnext_integration import erpnext_installed


def deal_dashboard(data):
	if not erpnext_installed():
		return data
	data = dict(data or {})
	data["fieldname"] = "crm_deal"
	data.setdefault("transactions", []).append(
		{"label": _("Accounting"), "items": ["Sales Invoice", "Payment Entry", "Delivery Note"]}
	)
	return data
