frappe.listview_settings["Deal"] = {
	add_fields: ["client_company", "grand_total", "currency", "responsible", "stage"],

	refresh(listview) {
		// The Kanban board "Deals by Stage": a count and a sum in every column header.
		if (listview.view_name !== "Kanban") return;
		frappe
			.xcall("crm_app.pipeline.board.get_column_totals", {
				filters: listview.get_filters_for_args(),
			})
			.then((totals) => {
				listview.$result.find(".kanban-column[data-column-value]").each(function () {
					const $column = $(this);
					const stage = $column.attr("data-column-value");
					const total = totals[stage] || { count: 0, amounts: {} };
					const sums = Object.entries(total.amounts)
						.map(([currency, amount]) => format_currency(amount, currency))
						.join(" + ");
					$column.find(".crm-column-total").remove();
					$column
						.find(".kanban-column-title")
						.append(
							$(`<span class="crm-column-total text-muted small" style="margin-left: 6px">`).text(
								sums ? `${total.count} · ${sums}` : `${total.count}`
							)
						);
				});
			});
	},
};
