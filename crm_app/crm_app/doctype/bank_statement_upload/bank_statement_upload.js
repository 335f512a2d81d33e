// Copyright (c) 2026, crm_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Bank Statement Upload", {
	refresh(frm) {
		if (!frm.is_new() && frm.doc.matched_lines && ["Not Booked", "Booked"].includes(frm.doc.status)) {
			frm.add_custom_button(__("Book Payments"), () =>
				frm
					.call({ doc: frm.doc, method: "book_payments", freeze: true, freeze_message: __("Booking payments…") })
					.then(({ message }) => {
						frm.reload_doc();
						if (message && message.queued) {
							frappe.show_alert({ message: __("The payments are being booked in the background."), indicator: "blue" });
						} else if (message) {
							frappe.show_alert({
								message: __("{0} payments booked, {1} left unmatched.", [message.booked, message.unmatched]),
								indicator: "green",
							});
						}
					})
			).addClass("btn-primary");
		}
	},
});
