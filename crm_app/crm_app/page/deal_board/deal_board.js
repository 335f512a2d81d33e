// Deals by Stage: the board of deals by pipeline stage, a page of cards per column.
//
// Frappe's Kanban view draws a card for every deal; with years of deals the browser stops
// answering. This board asks the server (crm_app.pipeline.board) for the columns' counts and
// sums over all their deals and for one page of cards per column (next contact first, then
// newest), with "Load more" for the next page. Dragging a card to another column saves the
// deal's stage (move_card): the workflow's transitions and the stage rules apply; a refusal
// shows Frappe's message and the card goes back. Opening or scrolling the board reads only.
// The markup keeps the class names of Frappe's Kanban board, so it looks like it.

frappe.pages["deal-board"].on_page_load = function (wrapper) {
	const page = frappe.ui.make_app_page({
		parent: wrapper,
		title: __("Deals by Stage"),
		single_column: true,
	});
	wrapper.deal_board = new DealBoard(page, wrapper);
};

frappe.pages["deal-board"].on_page_show = function (wrapper) {
	if (wrapper.deal_board && wrapper.deal_board.loaded) wrapper.deal_board.refresh();
};

class DealBoard {
	constructor(page, wrapper) {
		this.page = page;
		this.wrapper = wrapper;
		this.loaded = false;
		this.company_names = {};
		this.columns = {};
		this.page.set_secondary_action(__("List"), () => frappe.set_route("List", "Deal", "List"));
		this.make_filters();
		this.$board = $('<div class="kanban crm-deal-board">').appendTo(this.page.main);
		this.$board.css({ display: "flex", gap: "12px", overflowX: "auto", alignItems: "flex-start" });
		this.refresh();
	}

	make_filters() {
		const change = () => this.refresh();
		this.filters = {
			responsible: this.page.add_field({
				fieldname: "responsible",
				label: __("Responsible"),
				fieldtype: "Link",
				options: "User",
				change,
			}),
			client_company: this.page.add_field({
				fieldname: "client_company",
				label: __("Client Company"),
				fieldtype: "Link",
				options: "Client Company",
				change,
			}),
			from_date: this.page.add_field({
				fieldname: "from_date",
				label: __("From Date"),
				fieldtype: "Date",
				change,
			}),
			to_date: this.page.add_field({
				fieldname: "to_date",
				label: __("To Date"),
				fieldtype: "Date",
				change,
			}),
		};
	}

	filter_args() {
		const value = (name) => this.filters[name].get_value();
		const filters = [];
		if (value("responsible")) filters.push(["responsible", "=", value("responsible")]);
		if (value("client_company")) filters.push(["client_company", "=", value("client_company")]);
		if (value("from_date")) filters.push(["creation", ">=", value("from_date")]);
		if (value("to_date")) filters.push(["creation", "<=", `${value("to_date")} 23:59:59.999999`]);
		return filters;
	}

	refresh() {
		const call = (this.call = (this.call || 0) + 1);
		return frappe
			.xcall("crm_app.pipeline.board.get_board", { filters: this.filter_args() })
			.then((board) => {
				if (call !== this.call) return; // a later answer is coming
				this.page_length = board.page_length;
				Object.assign(this.company_names, board.company_names);
				this.render(board.columns);
				this.loaded = true;
			});
	}

	render(columns) {
		this.$board.empty();
		this.columns = {};
		for (const column of columns) {
			const $column = $(`
				<div class="kanban-column" data-column-value="${frappe.utils.escape_html(column.stage)}"
					style="flex: 0 0 280px; min-width: 280px;">
					<div class="kanban-column-header">
						<span class="kanban-column-title">
							<span class="indicator-pill no-indicator-dot whitespace-nowrap ${column.indicator}"></span>
							<span class="kanban-title ellipsis">${frappe.utils.escape_html(__(column.stage))}</span>
						</span>
					</div>
					<div class="crm-column-total text-muted small" style="padding: 0 12px 6px"></div>
					<div class="kanban-cards" style="min-height: 60px"></div>
					<button class="btn btn-xs btn-default crm-load-more" style="margin: 6px 12px 12px">
						${__("Load more")}
					</button>
				</div>`);
			this.$board.append($column);
			const state = { ...column, $column, shown: 0 };
			this.columns[column.stage] = state;
			this.append_cards(state, column.cards);
			this.show_total(state);
			$column.find(".crm-load-more").on("click", () => this.load_more(state));
			this.make_sortable(state);
		}
	}

	show_total(state) {
		const sums = Object.entries(state.amounts || {})
			.filter(([, amount]) => amount)
			.map(([currency, amount]) => format_currency(amount, currency))
			.join(" + ");
		state.$column
			.find(".crm-column-total")
			.text(`${__("Deals: {0}", [state.count])}${sums ? ` · ${sums}` : ""}`);
		state.$column.find(".crm-load-more").toggle(state.shown < state.count);
	}

	card_html(deal) {
		const esc = frappe.utils.escape_html;
		const company = this.company_names[deal.client_company] || deal.client_company || "";
		const amount = deal.currency ? format_currency(deal.grand_total, deal.currency) : "";
		const next = deal.next_contact_date
			? `<div class="text-muted small">${__("Next Contact")}: ${frappe.datetime.str_to_user(deal.next_contact_date)}</div>`
			: "";
		const avatar = deal.responsible ? frappe.avatar(deal.responsible, "avatar-small") : "";
		return `
			<div class="kanban-card-wrapper" data-name="${encodeURIComponent(deal.name)}">
				<div class="kanban-card content">
					<div class="kanban-card-title">${esc(deal.title || deal.name)}</div>
					<div class="kanban-card-doc">
						<div class="text-muted small">${esc(company)}</div>
						<div class="crm-card-amount">${esc(amount)}</div>
						${next}
					</div>
					<div class="kanban-card-meta" style="display: flex; justify-content: space-between">
						<span class="text-muted small">${esc(deal.name)}</span>${avatar}
					</div>
				</div>
			</div>`;
	}

	append_cards(state, cards) {
		const $cards = state.$column.find(".kanban-cards");
		for (const deal of cards) {
			if ($cards.find(`[data-name="${CSS.escape(encodeURIComponent(deal.name))}"]`).length) continue;
			$cards.append(this.bind_card($(this.card_html(deal)), deal));
			state.shown += 1;
		}
	}

	bind_card($card, deal) {
		$card.find(".kanban-card").on("click", () => frappe.set_route("Form", "Deal", deal.name));
		return $card;
	}

	load_more(state) {
		return frappe
			.xcall("crm_app.pipeline.board.get_column_page", {
				stage: state.stage,
				filters: this.filter_args(),
				start: state.shown,
				page_length: this.page_length,
			})
			.then((page) => {
				Object.assign(this.company_names, page.company_names);
				this.append_cards(state, page.cards);
				this.show_total(state);
			});
	}

	make_sortable(state) {
		const cards = state.$column.find(".kanban-cards").get(0);
		state.sortable = new Sortable(cards, {
			group: "crm-deals",
			animation: 150,
			dataIdAttr: "data-name",
			draggable: ".kanban-card-wrapper",
			// as Frappe's own board: a mouse drag, not the browser's drag and drop
			forceFallback: true,
			fallbackTolerance: 20,
			onEnd: (event) => this.dropped(event),
		});
	}

	dropped(event) {
		const from = $(event.from).closest(".kanban-column").attr("data-column-value");
		const to = $(event.to).closest(".kanban-column").attr("data-column-value");
		if (from === to) return; // the order within a column is not kept: nothing to write
		const $card = $(event.item);
		const name = decodeURIComponent($card.attr("data-name"));
		const put_back = () => {
			const $from_cards = this.columns[from].$column.find(".kanban-cards");
			const $at = $from_cards.children().eq(event.oldIndex);
			$at.length ? $card.insertBefore($at) : $card.appendTo($from_cards);
		};
		// a moved card goes to the top of its new column, even when the column's page is full
		$card.prependTo(this.columns[to].$column.find(".kanban-cards"));
		frappe
			.xcall("crm_app.pipeline.board.move_card", { name, stage: to })
			.then((deal) => {
				this.columns[from].shown -= 1;
				this.columns[to].shown += 1;
				$card.replaceWith(this.bind_card($(this.card_html(deal)), deal));
				return this.update_totals();
			})
			.catch(() => {
				put_back();
				return this.update_totals();
			});
	}

	update_totals() {
		return frappe
			.xcall("crm_app.pipeline.board.get_column_totals", { filters: this.filter_args() })
			.then((totals) => {
				for (const state of Object.values(this.columns)) {
					const total = totals[state.stage] || { count: 0, amounts: {} };
					state.count = total.count;
					state.amounts = total.amounts;
					this.show_total(state);
				}
			});
	}
}
