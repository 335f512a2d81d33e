// Copyright (c) 2026, crm_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Client Contact", {
	onload(frm) {
		// Frappe fills any field named "company" with the user's default Company (ERPNext's
		// own company); here the field is the client's company: keep it only if it is one.
		if (frm.is_new() && frm.doc.company) {
			frappe.db.exists("Client Company", frm.doc.company).then((exists) => {
				if (!exists) frm.set_value("company", null);
			});
		}
	},

	refresh(frm) {
		if (!frm.is_new() && frm.doc.company) {
			frm.add_custom_button(__("New Deal"), () => {
				frappe.new_doc("Deal", { client_company: frm.doc.company, contact: frm.doc.name });
			});
		}
	},
});
