frappe.listview_settings["Deal"] = {
	add_fields: ["client_company", "grand_total", "currency", "responsible", "stage"],

	refresh(listview) {
		if (listview.view_name !== "Kanban") return;
		crm_app_board.refresh(listview);
	},
};

// The Kanban board "Deals by Stage": a count and sums in every column header, and card
// amounts in the deal's own currency. The board re-renders its columns and cards on its
// own schedule, so a MutationObserver re-applies both after every re-render.
const crm_app_board = {
	refresh(listview) {
		const missing = (listview.data || []).some((d) => !("client_company" in d));
		if (missing && !listview.__crm_refetched) {
			// the first load of a board can miss the card fields: fetch once more
			listview.__crm_refetched = true;
			listview.refresh();
			return;
		}
		this.observe(listview);
		this.fetch_totals(listview);
		const companies = [...new Set((listview.data || []).map((d) => d.client_company).filter(Boolean))];
		if (companies.length) {
			frappe
				.xcall("frappe.client.get_list", {
					doctype: "Client Company",
					filters: { name: ["in", companies] },
					fields: ["name", "company_name"],
					limit_page_length: 0,
				})
				.then((rows) => {
					listview.__crm_company_names = Object.fromEntries(rows.map((r) => [r.name, r.company_name]));
					this.apply(listview);
				});
		}
	},

	fetch_totals(listview) {
		const call = (listview.__crm_totals_call || 0) + 1;
		listview.__crm_totals_call = call;
		frappe
			.xcall("crm_app.pipeline.board.get_column_totals", {
				filters: listview.get_filters_for_args(),
			})
			.then((totals) => {
				if (call !== listview.__crm_totals_call) return; // a later answer is coming
				listview.__crm_totals = totals;
				this.apply(listview);
			});
	},

	observe(listview) {
		if (!listview.__crm_move_watch) {
			// a card dragged to another column (moved, or refused and put back): the board
			// itself re-renders without a list refresh, so the totals are fetched again here
			listview.__crm_move_watch = (event, xhr, settings) => {
				if ((settings.url || "").includes("kanban_board.update_order_for_single_card")) {
					this.fetch_totals(listview);
				}
			};
			$(document).on("ajaxComplete", listview.__crm_move_watch);
		}
		if (listview.__crm_observer) return;
		let timer = null;
		listview.__crm_observer = new MutationObserver(() => {
			clearTimeout(timer);
			timer = setTimeout(() => this.apply(listview), 50);
		});
		listview.__crm_observer.observe(listview.$result[0], { childList: true, subtree: true });
	},

	apply(listview) {
		const totals = listview.__crm_totals || {};
		listview.$result.find(".kanban-column[data-column-value]").each(function () {
			const total = totals[$(this).attr("data-column-value")] || { count: 0, amounts: {} };
			const sums = Object.entries(total.amounts)
				.map(([currency, amount]) => format_currency(amount, currency))
				.join(" + ");
			const text = `${__("Deals: {0}", [total.count])}${sums ? ` · ${sums}` : ""}`;
			let $badge = $(this).find(".crm-column-total");
			if (!$badge.length) {
				$badge = $('<div class="crm-column-total text-muted small" style="padding: 0 12px 6px">');
				$(this).find(".kanban-column-header").first().after($badge);
			}
			if ($badge.text() !== text) $badge.text(text);
		});

		// Card values: the amount in the deal's currency, the client company by its name.
		const fields = listview.board && listview.board.fields ? listview.board.fields : [];
		const names = listview.__crm_company_names || {};
		const deals = Object.fromEntries((listview.data || []).map((d) => [d.name, d]));
		const values = {
			grand_total: (deal) => (deal.currency ? format_currency(deal.grand_total, deal.currency) : null),
			client_company: (deal) => names[deal.client_company] || null,
		};
		listview.$result.find(".kanban-card-wrapper[data-name]").each(function () {
			const deal = deals[decodeURIComponent($(this).attr("data-name"))];
			if (!deal) return;
			const $rows = $(this).find(".kanban-card-doc > div");
			for (const [fieldname, value_of] of Object.entries(values)) {
				const position = fields.indexOf(fieldname);
				const text = position < 0 ? null : value_of(deal);
				const $value = $rows.eq(position).find("span").last();
				if (text && $value.length && $value.text() !== text) $value.text(text);
			}
		});
	},
};
