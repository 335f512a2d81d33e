// Copyright (c) 2026, crm_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Deal", {
	setup(frm) {
		frm.set_query("contact", () => ({
			filters: frm.doc.client_company ? { company: frm.doc.client_company } : {},
		}));
		frm.set_query("catalog_item", "items", () => ({ filters: { disabled: 0 } }));
		frm.set_query("lost_reason", () => ({ filters: { disabled: 0 } }));
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

	refresh(frm) {
		if (!frm.is_new() && frm.doc.stage === "Negotiation") {
			frm.add_custom_button(__("Send Offer"), () => send_offer(frm));
		}
		if (!frm.is_new() && ["Invoice Paid", "Goods Shipped"].includes(frm.doc.stage)) {
			frm.add_custom_button(__("Print closing documents"), () => print_closing_documents(frm));
			frm.add_custom_button(__("Electronic UPD (XML)"), () => electronic_upd(frm));
		}
		show_company_alert(frm);
	},

	client_company(frm) {
		if (frm.doc.contact) frm.set_value("contact", null);
	},

	before_workflow_action(frm) {
		// Mark Lost asks for the reason (from the list) and notes in a dialog and saves them
		// before the action runs.
		if (frm.selected_workflow_action !== "Mark Lost") return;
		frappe.dom.unfreeze();
		return new Promise((resolve, reject) => {
			let submitted = false;
			const dialog = new frappe.ui.Dialog({
				title: __("Mark Lost"),
				fields: [
					{
						fieldname: "lost_reason",
						fieldtype: "Link",
						options: "Deal Lost Reason",
						label: __("Lost Reason"),
						reqd: 1,
						default: frm.doc.lost_reason,
						get_query: () => ({ filters: { disabled: 0 } }),
					},
					{
						fieldname: "lost_notes",
						fieldtype: "Small Text",
						label: __("Lost Notes"),
						default: frm.doc.lost_notes,
					},
				],
				primary_action_label: __("Mark Lost"),
				primary_action(values) {
					submitted = true;
					dialog.hide();
					frappe.dom.freeze();
					frappe.db
						.set_value("Deal", frm.doc.name, {
							lost_reason: values.lost_reason,
							lost_notes: values.lost_notes || "",
						})
						.then(() => resolve())
						.catch(() => {
							frappe.dom.unfreeze();
							reject();
						});
				},
			});
			dialog.onhide = () => {
				if (!submitted) reject();
			};
			dialog.show();
		});
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

// The mail composer with the Commercial Offer Letter and the Commercial Offer PDF.
function send_offer(frm) {
	const composer = new frappe.views.CommunicationComposer({
		doc: frm.doc,
		frm: frm,
		recipients: frm.doc.contact_email || "",
		subject: __("Commercial offer {0}", [frm.doc.name]),
		attach_document_print: 1,
	});
	composer.dialog.set_value("select_print_format", "Commercial Offer");
	composer.dialog.set_value("email_template", "Commercial Offer Letter");
}

// The Universal Transfer Document and, for service lines, the Act of Completed Works:
// numbered by the server, then offered as print view and PDF.
function print_closing_documents(frm) {
	frappe
		.call("crm_app.documents.closing.closing_documents", { deal: frm.doc.name })
		.then(({ message }) => {
			const documents = message || [];
			if (!documents.length) {
				frappe.msgprint(__("The deal has no lines to put on closing documents."));
				return;
			}
			// in the print format's own language (Russian), whatever the desk's language
			const link = (d, pdf) => {
				const args = new URLSearchParams({
					doctype: "Deal",
					name: frm.doc.name,
					format: d.print_format,
					_lang: d.lang || frappe.boot.lang,
				});
				return pdf
					? `/api/method/frappe.utils.print_format.download_pdf?${args}`
					: `/printview?${args}&trigger_print=1`;
			};
			const rows = documents
				.map(
					(d) => `<tr>
						<td>${frappe.utils.escape_html(__(d.print_format))}</td>
						<td>${frappe.utils.escape_html(d.number || "")}</td>
						<td><a href="${link(d)}" target="_blank" rel="noopener">${__("Print")}</a></td>
						<td><a href="${link(d, true)}" target="_blank" rel="noopener">${__("PDF")}</a></td>
					</tr>`
				)
				.join("");
			const dialog = new frappe.ui.Dialog({
				title: __("Closing documents"),
				fields: [
					{
						fieldtype: "HTML",
						fieldname: "documents",
						options: `<table class="table table-bordered closing-documents">${rows}</table>`,
					},
				],
			});
			dialog.show();
			frm.reload_doc();
		});
}

// A red (liquidated, bankrupt) or orange (liquidating, reorganizing) banner when the
// client company's state register status calls for care; the server puts it in __onload.
function show_company_alert(frm) {
	const alert = frm.doc.__onload && frm.doc.__onload.company_status_alert;
	if (alert && alert.message) frm.set_intro(alert.message, alert.indicator || "red");
}

// The UPD as the FNS exchange file (format 5.03) for the EDO operator, attached to the deal
function electronic_upd(frm) {
	frappe
		.call({
			method: "crm_app.documents.edo.electronic_upd",
			args: { deal: frm.doc.name },
			freeze: true,
			freeze_message: __("Making the electronic UPD…"),
		})
		.then(({ message }) => {
			if (!message) return;
			frm.reload_doc();
			frappe.show_alert({
				message: __("Electronic UPD {0} is attached to the deal.", [message.file_name]),
				indicator: "green",
			});
			window.open(message.file_url);
		});
}

