// Copyright (c) 2026, crm_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Client Contact", {
	refresh(frm) {
		if (!frm.is_new() && frm.doc.company) {
			frm.add_custom_button(__("New Deal"), () => {
				frappe.new_doc("Deal", { client_company: frm.doc.company, contact: frm.doc.name });
			});
		}
	},
});
