"""Deal lines: defaults from the catalog, line checks and the deal totals."""

import frappe
from frappe import _

from crm_app.deals.totals import LineInput, compute_totals, line_errors
from crm_app.settings import default_uom, seller_pays_vat


def catalog_defaults(catalog_item: str) -> dict:
	"""What a new deal line takes from its catalog item."""
	item = frappe.get_cached_doc("Catalog Item", catalog_item)
	pays_vat = seller_pays_vat()  # a seller who does not pay VAT charges none
	return {
		"item_name": item.item_name,
		"description": frappe.utils.strip_html(item.description or "").strip(),
		"uom": item.uom or default_uom(),
		"rate": item.standard_rate,
		"vat_rate": item.effective_vat_rate() if pays_vat else 0,
		"vat_exempt": item.vat_exempt if pays_vat else 1,
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
