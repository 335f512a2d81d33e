frappe.listview_settings["Deal"] = {
	add_fields: ["client_company", "grand_total", "currency", "responsible"],
};
