"""Deal lines: defaults from the catalog, VAT by date, line checks and the deal totals."""

import frappe
from frappe import _
from frappe.utils import formatdate, getdate, nowdate

from crm_app.deals import vat
from crm_app.deals.totals import LineInput, compute_totals, line_errors
from crm_app.settings import default_uom, default_vat_rate, tax_regime, vat_rate_table


def standard_vat_rate(day=None) -> float | None:
	"""The standard VAT rate (%) on `day` (a date or ISO string; today by default) under
	the seller's tax regime (CRM App Settings › Tax Regime and VAT Rates, falling back on
	the Default VAT Rate; crm_app.deals.vat): None for a seller who pays no VAT."""
	return vat.standard_rate(tax_regime(), getdate(day or nowdate()), vat_rate_table(), default_vat_rate())


def line_vat(item, day=None) -> tuple[float, bool]:
	"""(rate %, exempt) a line of Catalog Item `item` (a document or dict) takes on `day`
	(today by default): see crm_app.deals.vat.line_rate."""
	return vat.line_rate(
		tax_regime(),
		getdate(day or nowdate()),
		vat_rate_table(),
		standard=bool(item.get("standard_vat_rate")),
		own_rate=item.get("vat_rate") or 0,
		exempt=bool(item.get("vat_exempt")),
		fallback=default_vat_rate(),
	)


def reprice_at_invoice(deal, day=None) -> list[tuple[int, float]]:
	"""Give the deal's standard-rate lines the standard rate in force on the invoice's
	tax date `day` (today by default: the date Issue Invoice posts the invoice); a deal
	priced under an earlier rate (20 % in 2025) takes the current one (22 % from 2026),
	FNS letter СД-4-3/11802@ of 29.12.2025. Tells the user (a message, and a comment on
	the deal once saved). Returns (row number, old rate) of the rows changed."""
	rate = standard_vat_rate(day)
	if rate is None:
		return []
	changed = vat.repriced_rows(
		[(row.idx, row.standard_vat_rate, row.vat_exempt, row.vat_rate) for row in deal.items], rate
	)
	if not changed:
		return []
	by_idx = {row.idx: row for row in deal.items}
	for idx, _old in changed:
		by_idx[idx].vat_rate = rate
	message = _("VAT of rows {0} changed from {1}% to {2}%: the standard rate in force on {3}.").format(
		", ".join(str(idx) for idx, _old in changed),
		"/".join(sorted({f"{old:g}" for _idx, old in changed})),
		f"{rate:g}",
		formatdate(getdate(day or nowdate())),
	)
	frappe.msgprint(message, title=_("VAT Rate Changed"), indicator="orange", alert=True)
	deal.flags.vat_repriced = message
	return changed


def note_repricing(deal):
	"""The comment on the deal's timeline of `reprice_at_invoice`, after the save."""
	if deal.flags.vat_repriced:
		deal.add_comment("Info", deal.flags.vat_repriced)
		deal.flags.vat_repriced = None


def catalog_defaults(catalog_item: str) -> dict:
	"""What a new deal line takes from its catalog item."""
	item = frappe.get_cached_doc("Catalog Item", catalog_item)
	vat_rate, vat_exempt = line_vat(item)  # a seller who does not pay VAT charges none
	return {
		"item_name": item.item_name,
		"description": frappe.utils.strip_html(item.description or "").strip(),
		"uom": item.uom or default_uom(),
		"rate": item.standard_rate,
		"vat_rate": vat_rate,
		"vat_exempt": int(vat_exempt),
		"standard_vat_rate": int(bool(item.get("standard_vat_rate")) and not vat_exempt),
		"country_of_origin": item.get("country_of_origin"),
		"customs_declaration": item.get("customs_declaration"),
		"disabled": item.disabled,
	}


def prepare_lines(deal, previous_items: dict[str, str]):
	"""Fill and check lines added or re-pointed to another catalog item since the
	last save. `previous_items` maps row name to its catalog item before the save.

	Empty fields (and a rate or VAT rate of 0) take the catalog's values; a
	disabled catalog item cannot be added.
	"""
	for row in deal.items:
		if previous_items.get(row.name) == row.catalog_item:
			continue
		defaults = catalog_defaults(row.catalog_item)
		if defaults.pop("disabled"):
			frappe.throw(
				_("Row {0}: Catalog Item {1} is disabled and cannot be added to a deal.").format(
					row.idx, frappe.bold(row.catalog_item)
				),
				title=_("Disabled Item"),
			)
		row.vat_exempt = defaults.pop("vat_exempt")
		# a rate typed on the new line is the line's own, not the standard one
		own = row.vat_rate and float(row.vat_rate) != float(defaults["vat_rate"])
		row.standard_vat_rate = 0 if own else defaults.pop("standard_vat_rate")
		defaults.pop("standard_vat_rate", None)
		for fieldname, value in defaults.items():
			if not row.get(fieldname):
				row.set(fieldname, value)
		if row.vat_exempt:
			row.vat_rate = 0


def check_lines(deal):
	messages = {
		"qty": _("Row {0}: Quantity must be greater than 0."),
		"rate": _("Row {0}: Rate cannot be negative."),
		"discount_percent": _("Row {0}: Discount must be between 0 and 100%."),
	}
	for row in deal.items:
		for error in line_errors(row.qty, row.rate, row.discount_percent):
			frappe.throw(messages[error].format(row.idx), title=_("Invalid Line"))
		if not 0 <= (row.vat_rate or 0) <= 100:
			frappe.throw(
				_("Row {0}: VAT Rate must be between 0 and 100.").format(row.idx), title=_("Invalid Line")
			)


def set_totals(deal):
	precision = deal.precision("grand_total") or 2
	totals = compute_totals(
		[
			LineInput(
				qty=row.qty,
				rate=row.rate,
				discount_percent=row.discount_percent,
				vat_rate=row.vat_rate,
				vat_exempt=bool(row.vat_exempt),
			)
			for row in deal.items
		],
		prices_include_vat=bool(deal.prices_include_vat),
		precision=int(precision),
	)
	for row, line in zip(deal.items, totals.lines, strict=True):
		row.amount = line.amount
		row.vat_amount = line.vat_amount
	deal.net_total = totals.net_total
	deal.vat_total = totals.vat_total
	deal.grand_total = totals.grand_total
