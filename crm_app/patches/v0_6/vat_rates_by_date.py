"""VAT at 22 % from 01.01.2026 (Federal Law 425-FZ of 28.11.2025) on a site installed
before the rates were kept by date:

- CRM App Settings get the dated standard rates (20 % from 2019, 22 % from 2026), the Tax
  Regime from the VAT Payer switch, and a Default VAT Rate left at the old default 20
  becomes 22;
- a Catalog Item that carried the old standard rate (20, or 0 that meant "the default")
  follows the standard rate; an item with a rate of its own (10 % …) keeps it;
- the lines of deals not yet invoiced that carry the old standard rate of a standard-rate
  item take the rate in force when their invoice is issued. An issued invoice, a printed
  UPD or act keeps its rate and amounts: no line of a deal at or past Invoice Issued
  changes."""

import frappe
from frappe.query_builder import DocType

from crm_app.deals.setup import ensure_vat_rates
from crm_app.deals.vat import OLD_STANDARD_RATE
from crm_app.pipeline.stages import LEDGER_STAGES


def execute():
	settings = frappe.db.get_singles_dict("CRM App Settings")
	if not settings.get("seller_tax_regime"):
		payer = settings.get("seller_vat_payer")
		regime = "Not a VAT Payer" if payer is not None and not int(payer) else "General"
		frappe.db.set_single_value("CRM App Settings", "seller_tax_regime", regime)
	if float(settings.get("default_vat_rate") or 0) == OLD_STANDARD_RATE:
		frappe.db.set_single_value("CRM App Settings", "default_vat_rate", 22)
	frappe.clear_document_cache("CRM App Settings", "CRM App Settings")
	ensure_vat_rates()

	item = DocType("Catalog Item")
	standard = (item.vat_exempt == 0) & (
		(item.vat_rate.isnull()) | item.vat_rate.isin([0, OLD_STANDARD_RATE])
	)
	frappe.qb.update(item).set(item.standard_vat_rate, 1).where(standard).run()
	frappe.qb.update(item).set(item.standard_vat_rate, 0).where(~standard).run()

	line, deal = DocType("Deal Item"), DocType("Deal")
	open_deals = frappe.qb.from_(deal).select(deal.name).where(deal.stage.notin(LEDGER_STAGES))
	standard_items = frappe.qb.from_(item).select(item.name).where(item.standard_vat_rate == 1)
	(
		frappe.qb.update(line)
		.set(line.standard_vat_rate, 1)
		.where(line.parenttype == "Deal")
		.where(line.parent.isin(open_deals))
		.where(line.catalog_item.isin(standard_items))
		.where(line.vat_exempt == 0)
		.where(line.vat_rate == OLD_STANDARD_RATE)
	).run()
