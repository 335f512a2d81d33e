// Copyright (c) 2026, crm_app contributors
// For license information, please see license.txt

frappe.ui.form.on("CRM App Settings", {
	refresh(frm) {
		frm.add_custom_button(__("Measure Now"), () => {
			frappe
				.call({
					method: "crm_app.analytics.probability.measure_now",
					freeze: true,
					freeze_message: __("Measuring the stage probabilities…"),
				})
				.then(() => frm.reload_doc());
		}, __("Forecast"));
	},
});
