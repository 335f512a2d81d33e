// Copyright (c) 2026, crm_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Client Company", {
	entity_type(frm) {
		if (frm.doc.entity_type !== "Legal Entity") {
			frm.set_value("kpp", "");
		}
	},
});
