// Copyright (c) 2026, crm_app contributors
// For license information, please see license.txt

frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Lost Reasons"] = {
	method: "crm_app.analytics.cards.lost_reasons_chart",
	filters: [],
};
