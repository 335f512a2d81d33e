// Copyright (c) 2026, crm_app contributors
// For license information, please see license.txt

frappe.query_reports["Sales Forecast"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.month_start(),
			reqd: 1,
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_days(frappe.datetime.add_months(frappe.datetime.month_start(), 6), -1),
			reqd: 1,
		},
		{
			fieldname: "responsible",
			label: __("Responsible"),
			fieldtype: "Link",
			options: "User",
		},
		{
			fieldname: "client_company",
			label: __("Client Company"),
			fieldtype: "Link",
			options: "Client Company",
		},
		{
			fieldname: "currency",
			label: __("Currency"),
			fieldtype: "Link",
			options: "Currency",
		},
	],
};
