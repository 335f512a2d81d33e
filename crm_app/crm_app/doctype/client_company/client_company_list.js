frappe.listview_settings["Client Company"] = {
	add_fields: ["entity_type", "inn"],
};
