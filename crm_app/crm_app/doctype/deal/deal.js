// Copyright (c) 2026, crm_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Deal", {
	setup(frm) {
		frm.set_query("contact", () => ({
			filters: frm.doc.client_company ? { company: frm.doc.client_company } : {},
		}));
		frm.set_query("catalog_item", "items", () => ({ filters: { disabled: 0 } }));
	},

	onload(frm) {
		if (frm.is_new() && !frm.doc.__defaults_from_settings) {
			frm.doc.__defaults_from_settings = 1;
			frappe
				.call("crm_app.crm_app.doctype.deal.deal.get_new_deal_defaults")
				.then(({ message }) => {
					if (!message) return;
					if (message.currency) frm.set_value("currency", message.currency);
					frm.set_value("prices_include_vat", message.prices_include_vat ? 1 : 0);
				});
		}
	},

	client_company(frm) {
		if (frm.doc.contact) frm.set_value("contact", null);
	},
});

frappe.ui.form.on("Deal Item", {
	catalog_item(frm, cdt, cdn) {
		const row = locals[cdt][cdn];
		if (!row.catalog_item) return;
		frappe
			.call("crm_app.crm_app.doctype.deal.deal.get_line_defaults", {
				catalog_item: row.catalog_item,
			})
			.then(({ message }) => {
				if (!message) return;
				frappe.model.set_value(cdt, cdn, message);
			});
	},
});
