"""What the Deal Invoice and Commercial Offer print formats show, from plain values.

Pure functions (no Frappe), so the offline tests render the print formats'
Jinja with sample data. The Frappe side (crm_app.documents.printing) gathers the deal,
the seller's and the buyer's requisites into dicts and calls `build_context`.
"""

from decimal import Decimal

from num2words import num2words

from crm_app.catalog.units import unit_text
from crm_app.deals.totals import LineInput, compute_totals, discounted_rate

# Currencies num2words spells with their own units (in Russian and English).
SPELLED_CURRENCIES = {"RUB", "USD", "EUR"}


def amount_in_words(amount: float, currency: str, lang: str = "ru") -> str:
	"""The total in words in the print language, with its currency: "сто двадцать
	рублей, пятьдесят копеек". Capitalised, as printed on an invoice."""
	value = Decimal(str(amount or 0)).quantize(Decimal("0.01"))
	try:
		words = _spell(value, (lang or "ru").split("-")[0], currency)
	except NotImplementedError:  # a language num2words does not speak
		words = _spell(value, "en", currency)
	return words[:1].upper() + words[1:]


def _spell(value: Decimal, lang: str, currency: str) -> str:
	if currency in SPELLED_CURRENCIES:
		return num2words(value, lang=lang, to="currency", currency=currency)
	cents = int((value - int(value)) * 100)
	return f"{num2words(int(value), lang=lang)} {currency} {cents:02d}"


def format_amount(value: float, lang: str = "ru", precision: int = 2) -> str:
	"""1234.5 -> "1 234,50" in Russian (a non-breaking space between thousands),
	"1,234.50" otherwise."""
	text = f"{Decimal(str(value or 0)):,.{precision}f}"
	if (lang or "ru").startswith("ru"):
		return text.replace(",", "\u00a0").replace(".", ",")
	return text


def build_context(
	deal: dict,
	seller: dict,
	buyer: dict,
	lang: str = "ru",
	precision: int = 2,
	units: list[dict] | None = None,
) -> dict:
	"""Numbered lines, VAT per rate (or "without VAT"), totals and the total in words.

	`deal`: currency, prices_include_vat, items (dicts with item_name, qty, uom,
	rate, discount_percent, vat_rate, vat_exempt; optionally item_type "Product" /
	"Service", country_of_origin, customs_declaration). `units`: CRM Unit rows (uom,
	okei_code, short_name_ru); each line prints its unit's short name and OKEI code
	(crm_app.catalog.units). Amounts are recomputed with the same maths as the deal, so
	the printout always matches the deal's totals; net (without VAT) and gross (with
	VAT) amounts per line serve the transfer document's columns."""
	items = deal.get("items") or []
	include = bool(deal.get("prices_include_vat"))
	totals = compute_totals(
		[
			LineInput(
				qty=i.get("qty") or 0,
				rate=i.get("rate") or 0,
				discount_percent=i.get("discount_percent") or 0,
				vat_rate=i.get("vat_rate") or 0,
				vat_exempt=bool(i.get("vat_exempt")),
			)
			for i in items
		],
		prices_include_vat=include,
		precision=precision,
	)

	def money(value) -> str:
		return format_amount(value, lang, precision)

	lines = []
	for idx, (item, result) in enumerate(zip(items, totals.lines, strict=True), start=1):
		unit = unit_text(item.get("uom"), units or [], lang)
		gross = round(result.net_amount + result.vat_amount, precision)
		lines.append(
			{
				"idx": idx,
				"item_type": item.get("item_type") or "Product",
				"item_code": item.get("catalog_item") or "",
				"unit_code": unit["code"],
				"unit_name": unit["name"],
				"country_of_origin": item.get("country_of_origin") or "",
				"country_code": item.get("country_code") or "",
				"customs_declaration": item.get("customs_declaration") or "",
				"net_amount": result.net_amount,
				"net_price_text": money(
					round(result.net_amount / float(item.get("qty")), precision) if item.get("qty") else 0
				),
				"vat_amount": result.vat_amount,
				"gross_amount": gross,
				"net_amount_text": money(result.net_amount),
				"vat_amount_text": money(result.vat_amount),
				"gross_amount_text": money(gross),
				"item_name": item.get("item_name") or item.get("catalog_item") or "",
				"description": item.get("description") or "",
				"qty": item.get("qty") or 0,
				"qty_text": f"{float(item.get('qty') or 0):g}",
				"uom": item.get("uom") or "",
				"rate": float(item.get("rate") or 0),
				"discount_percent": float(item.get("discount_percent") or 0),
				"price": float(discounted_rate(item.get("rate"), item.get("discount_percent"), precision)),
				"amount": result.amount,
				"vat_rate": 0.0 if item.get("vat_exempt") else float(item.get("vat_rate") or 0),
				"vat_exempt": bool(item.get("vat_exempt")) or not item.get("vat_rate"),
				"vat_rate_text": f"{float(item.get('vat_rate') or 0):g}",
				"rate_text": money(item.get("rate")),
				"price_text": money(
					discounted_rate(item.get("rate"), item.get("discount_percent"), precision)
				),
				"amount_text": money(result.amount),
			}
		)
	all_exempt = bool(lines) and all(line["vat_exempt"] for line in lines)
	return {
		"seller": seller,
		"buyer": buyer,
		"currency": deal.get("currency") or "",
		"prices_include_vat": include,
		"lines": lines,
		"net_total": totals.net_total,
		"vat_total": totals.vat_total,
		"grand_total": totals.grand_total,
		"vat_by_rate": [
			{"rate": rate, "rate_text": f"{rate:g}", "amount": amount, "amount_text": money(amount)}
			for rate, amount in totals.vat_by_rate.items()
		],
		"net_total_text": money(totals.net_total),
		"vat_total_text": money(totals.vat_total),
		"grand_total_text": money(totals.grand_total),
		"without_vat": all_exempt or not totals.vat_by_rate,
		"in_words": amount_in_words(totals.grand_total, deal.get("currency") or "", lang),
		"count": len(lines),
	}
