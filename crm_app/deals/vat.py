"""VAT rates by date and by the seller's tax regime (Russian Tax Code, chapter 21).

Pure functions over plain values, so the offline tests state the rules on hand-made
dates and rate tables; `crm_app.deals.lines` reads the site's table from CRM App
Settings › VAT Rates and applies them to a deal's lines.

Sources:
- art. 164 §3 of the Tax Code: the standard rate, 20 % from 01.01.2019 (Federal Law
  303-FZ of 03.08.2018) and 22 % from 01.01.2026 (Federal Law 425-FZ of 28.11.2025);
  10 % for the goods of art. 164 §2 and 0 % for exports stay an item's own rate;
- the FNS letter СД-4-3/11802@ of 29.12.2025: the rate follows the tax date (the date
  of shipment, or of the invoice where it comes first), with no exception for contracts
  signed earlier;
- art. 164 §8 (Federal Law 176-FZ of 12.07.2024): a simplified-tax payer who chose to
  pay VAT charges 5 % or 7 % instead of the standard rate;
- art. 145 / 346.11: a seller exempt from VAT (or on the simplified tax without it)
  charges none: "без НДС".
"""

from datetime import date, datetime

GENERAL = "General"
SIMPLIFIED_5 = "Simplified, VAT 5%"
SIMPLIFIED_7 = "Simplified, VAT 7%"
NOT_A_VAT_PAYER = "Not a VAT Payer"
REGIMES = (GENERAL, SIMPLIFIED_5, SIMPLIFIED_7, NOT_A_VAT_PAYER)
REGIME_RATES = {SIMPLIFIED_5: 5.0, SIMPLIFIED_7: 7.0}

# The standard rate as the app ships it: (in force from, rate %, the law). A site adds a
# row for the next change in CRM App Settings › VAT Rates; no release is needed.
STANDARD_RATES = (
	(date(2019, 1, 1), 20.0, "Federal Law 303-FZ of 03.08.2018"),
	(date(2026, 1, 1), 22.0, "Federal Law 425-FZ of 28.11.2025"),
)


class VatRateError(ValueError):
	"""A rate table or regime that cannot be used (message for the user)."""


def _as_date(value) -> date:
	if isinstance(value, datetime):
		return value.date()
	if isinstance(value, date):
		return value
	return date.fromisoformat(str(value)[:10])


def rate_on(day, rates, fallback: float | None = None) -> float:
	"""The standard rate (%) in force on `day`.

	`day`: a date, datetime or ISO string (the document's tax date). `rates`: (in force
	from, rate %) pairs in any order, as dates or ISO strings. The rate of the latest
	row in force on `day` wins; before the first row (or with no rows) `fallback`.
	Raises VatRateError when nothing applies."""
	day = _as_date(day)
	in_force = sorted(
		((_as_date(start), float(rate)) for start, rate, *_law in rates if start), key=lambda r: r[0]
	)
	found = fallback
	for start, rate in in_force:
		if start > day:
			break
		found = rate
	if found is None:
		raise VatRateError(f"No VAT rate is in force on {day.isoformat()}.")
	return float(found)


def standard_rate(regime: str | None, day, rates, fallback: float | None = None) -> float | None:
	"""The rate (%) a standard-rate line takes on `day` under the seller's `regime`:
	the dated standard rate for the general regime, 5 or 7 for a simplified-tax payer
	with VAT, None (no VAT: "без НДС") for a seller who pays none."""
	regime = regime or GENERAL
	if regime not in REGIMES:
		raise VatRateError(f"Unknown tax regime {regime!r}.")
	if regime == NOT_A_VAT_PAYER:
		return None
	if regime in REGIME_RATES:
		return REGIME_RATES[regime]
	return rate_on(day, rates, fallback)


def line_rate(
	regime: str | None, day, rates, *, standard: bool, own_rate: float, exempt: bool, fallback=None
) -> tuple[float, bool]:
	"""(rate %, exempt) of one line on `day`: an exempt item or a seller without VAT gives
	(0, True); a standard-rate item the standard rate of `standard_rate`; an item with a
	rate of its own (10 %, 0 % …) keeps it."""
	if exempt or (regime or GENERAL) == NOT_A_VAT_PAYER:
		return 0.0, True
	if standard:
		return float(standard_rate(regime, day, rates, fallback)), False
	return float(own_rate or 0), False


def repriced_rows(rows, rate: float) -> list[tuple[int, float]]:
	"""(row number, old rate) of the standard-rate rows whose rate differs from `rate`.
	`rows`: (idx, standard?, exempt?, rate %) tuples."""
	return [
		(idx, float(old or 0))
		for idx, standard, exempt, old in rows
		if standard and not exempt and float(old or 0) != float(rate)
	]


OLD_STANDARD_RATE = 20.0


def is_standard_in_earlier_versions(vat_rate) -> bool:
	"""Did an item's VAT rate mean the standard rate before rates were kept by date? 0 or
	empty meant "the default rate", and 20 was the standard rate itself; any other rate
	(10 % …) is the item's own. The upgrade patch (v0_6.vat_rates_by_date) and a caller
	that still gives only a rate read it so."""
	return float(vat_rate or 0) in (0.0, OLD_STANDARD_RATE)
