frappe.listview_settings["Deal"] = {
	add_fields: ["client_company", "grand_total", "currency", "responsible", "stage"],
};

// Frappe's Kanban view loads and draws every deal; with years of deals the browser stops
// answering. For Deal, the view switcher's Kanban (and any link to a Deal board) leads to the
// app's board page "deal-board" (crm_app/crm_app/page/deal_board), which draws a page of
// cards per column, before the Kanban view asks for a single card. Other DocTypes keep
// Frappe's Kanban view as it is.
(function lead_deal_kanban_to_the_board_page() {
	const KanbanView = frappe.views && frappe.views.KanbanView;
	if (!KanbanView || KanbanView.__crm_deal_board) return;
	KanbanView.__crm_deal_board = true;
	const to_board = () => frappe.set_route("deal-board");
	const show = KanbanView.prototype.show;
	KanbanView.prototype.show = function (...args) {
		if (this.doctype === "Deal") return to_board();
		return show.apply(this, args);
	};
	const refresh = KanbanView.prototype.refresh;
	KanbanView.prototype.refresh = function (...args) {
		if (this.doctype === "Deal") {
			to_board();
			return Promise.resolve();
		}
		return refresh.apply(this, args);
	};
})();
