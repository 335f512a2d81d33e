// The app's slide of Frappe's setup wizard (hook `setup_wizard_requires`): the seller's
// requisites for the printed documents, posting deals to ERPNext, and the demo year.
// Applied by crm_app.quickstart.apply_setup_wizard (hook `setup_wizard_stages`).
frappe.provide("crm_app.setup");

crm_app.setup.slide = {
	name: "crm_app",
	title: __("Your CRM"),
	icon: "fa fa-handshake-o",
	fields: [
		{
			fieldtype: "HTML",
			options: `<p class="text-muted">${__(
				"The seller printed on invoices, offers and UPDs. All of it can be changed later in CRM App Settings."
			)}</p>`,
		},
		{ fieldname: "crm_seller_legal_name", label: __("Seller's Legal Name"), fieldtype: "Data" },
		{ fieldname: "crm_seller_inn", label: __("Seller's INN"), fieldtype: "Data", length: 12 },
		{ fieldname: "crm_seller_kpp", label: __("Seller's KPP"), fieldtype: "Data", length: 9 },
		{ fieldname: "crm_seller_director", label: __("Director"), fieldtype: "Data" },
		{ fieldtype: "Section Break" },
		{
			fieldname: "crm_post_to_erpnext",
			label: __("Post Deals to ERPNext"),
			fieldtype: "Check",
			default: 1,
			hidden: frappe.boot.versions && frappe.boot.versions.erpnext ? 0 : 1,
			description: __(
				"Issue Invoice, Confirm Payment and Ship Goods create the Sales Invoice, Payment Entry and Delivery Note; a VAT account is made under Duties and Taxes"
			),
		},
		{
			fieldname: "crm_load_demo",
			label: __("Load Demo Data"),
			fieldtype: "Check",
			default: 0,
			description: __(
				"A year of a Russian company's sales: 60 clients, 400 deals at every stage, targets and a sales team. It loads in a few minutes after the setup; the bench command crm-app demo --clear removes exactly it."
			),
		},
	],
	validate() {
		const inn = (this.get_value("crm_seller_inn") || "").replace(/\s/g, "");
		if (inn && !/^(\d{10}|\d{12})$/.test(inn)) {
			frappe.msgprint(__("INN must have 10 digits (a legal entity) or 12 (a sole proprietor)."));
			return false;
		}
		return true;
	},
};

frappe.setup.on("before_load", function () {
	frappe.setup.add_slide(crm_app.setup.slide);
});
