// Copyright (c) 2026, crm_app contributors
// For license information, please see license.txt

frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Deals by Stage"] = {
	method: "crm_app.analytics.cards.deals_by_stage_chart",
	filters: [],
};
