"""Deal amounts: line amounts, VAT and totals, rounded to the currency's precision.

Pure functions on plain values, shared by the Deal controller and the offline
tests. Rounding is half-up at the currency precision (kopecks for RUB):

- a line's price after discount is rounded first, then its amount
  (price after discount x quantity), the way ERPNext computes invoice lines;
- VAT is computed per VAT rate on the sum of that rate's line amounts and
  rounded once, the way ERPNext computes a tax row (each line still shows its
  own VAT, rounded, for the printed invoice);
- VAT is either included in the price (`prices_include_vat`): amounts are
  gross and VAT is amount * rate / (100 + rate); or added on top: amounts are
  net and VAT is amount * rate / 100.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal


@dataclass
class LineInput:
	qty: float
	rate: float
	discount_percent: float = 0.0
	vat_rate: float = 0.0
	vat_exempt: bool = False


@dataclass
class LineResult:
	amount: float
	vat_amount: float
	net_amount: float


@dataclass
class DealTotals:
	lines: list[LineResult] = field(default_factory=list)
	net_total: float = 0.0
	vat_total: float = 0.0
	grand_total: float = 0.0
	vat_by_rate: dict[float, float] = field(default_factory=dict)


def _dec(value) -> Decimal:
	return Decimal(str(value or 0))


def round_amount(value, precision: int) -> Decimal:
	"""Round half-up to `precision` decimal places."""
	return _dec(value).quantize(Decimal(1).scaleb(-precision), rounding=ROUND_HALF_UP)


def _vat(amount: Decimal, vat_rate: Decimal, prices_include_vat: bool, precision: int) -> Decimal:
	if prices_include_vat:
		return round_amount(amount * vat_rate / (100 + vat_rate), precision)
	return round_amount(amount * vat_rate / 100, precision)


def discounted_rate(rate, discount_percent, precision: int = 2) -> Decimal:
	return round_amount(_dec(rate) * (100 - _dec(discount_percent)) / 100, precision)


def compute_line(line: LineInput, prices_include_vat: bool, precision: int = 2) -> LineResult:
	price = discounted_rate(line.rate, line.discount_percent, precision)
	amount = round_amount(price * _dec(line.qty), precision)
	vat_rate = Decimal(0) if line.vat_exempt else _dec(line.vat_rate)
	vat = _vat(amount, vat_rate, prices_include_vat, precision)
	net = amount - vat if prices_include_vat else amount
	return LineResult(amount=float(amount), vat_amount=float(vat), net_amount=float(net))


def compute_totals(lines: list[LineInput], prices_include_vat: bool, precision: int = 2) -> DealTotals:
	"""Amounts of every line and the deal totals; `vat_by_rate` maps each VAT rate
	of the taxable lines to its VAT (exempt and zero-rate lines are left out)."""
	result = DealTotals()
	total = Decimal(0)
	amount_by_rate: dict[float, Decimal] = {}
	for line in lines:
		computed = compute_line(line, prices_include_vat, precision)
		result.lines.append(computed)
		total += _dec(computed.amount)
		if not line.vat_exempt and line.vat_rate:
			key = float(line.vat_rate)
			amount_by_rate[key] = amount_by_rate.get(key, Decimal(0)) + _dec(computed.amount)
	by_rate = {
		rate: _vat(amount, _dec(rate), prices_include_vat, precision)
		for rate, amount in sorted(amount_by_rate.items())
	}
	vat_total = sum(by_rate.values(), Decimal(0))
	net_total = total - vat_total if prices_include_vat else total
	result.net_total = float(net_total)
	result.vat_total = float(vat_total)
	result.grand_total = float(net_total + vat_total)
	result.vat_by_rate = {rate: float(amount) for rate, amount in by_rate.items()}
	return result


def line_errors(qty, rate, discount_percent) -> list[str]:
	"""Which of a line's numbers are out of range: any of "qty", "rate", "discount_percent"."""
	errors = []
	if _dec(qty) <= 0:
		errors.append("qty")
	if _dec(rate) < 0:
		errors.append("rate")
	if not 0 <= _dec(discount_percent) <= 100:
		errors.append("discount_percent")
	return errors
