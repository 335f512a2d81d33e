// Copyright (c) 2026, crm_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Client Company", {
	refresh(frm) {
		show_registry_status(frm);
		if (frm.has_perm(frm.is_new() ? "create" : "write")) {
			frm.add_custom_button(__("Fill by INN"), () => fill_from_registry(frm));
		}
	},
	entity_type(frm) {
		if (frm.doc.entity_type !== "Legal Entity") {
			frm.set_value("kpp", "");
		}
	},
});

// The register status banner the server sends with the company (ClientCompany.onload, and
// Fill by INN's answer): red for liquidated or bankrupt, orange for liquidating or reorganizing.
function show_registry_status(frm) {
	const alert = frm.doc.__onload && frm.doc.__onload.company_status_alert;
	frm.set_intro(alert ? alert.message : "", alert ? alert.indicator : undefined);
}

function fill_from_registry(frm) {
	if (!frm.doc.inn) {
		frappe.msgprint({
			message: __("Enter the INN: the company is found in the state register by it."),
			indicator: "orange",
		});
		return;
	}
	// the server fills only the empty fields, and saves a saved company
	frm.call({
		method: "fill_from_registry",
		doc: frm.doc,
		freeze: true,
		freeze_message: __("Asking the state register…"),
		callback(r) {
			if (r.exc) return;
			frm.refresh();
			const filled = r.message || [];
			frappe.show_alert({
				message: filled.length
					? __("Filled from the state register: {0}", [filled.join(", ")])
					: __("The state register has nothing to add: the fields are filled already."),
				indicator: "green",
			});
		},
	});
}
