"""Deal amounts: line amounts, VAT and totals, rounded to the currency's precision.

Pure functions on plain values, shared by the Deal controller and the offline
tests. Rounding is half-up at the currency precision (kopecks for RUB), line by
line, and totals are sums of rounded lines, as a Russian invoice prints them.

VAT is either included in the price (`prices_include_vat`): the line amount is
gross and VAT is extracted as amount * rate / (100 + rate); or added on top:
the line amount is net and VAT is amount * rate / 100.
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


def compute_line(line: LineInput, prices_include_vat: bool, precision: int = 2) -> LineResult:
	qty, rate, discount = _dec(line.qty), _dec(line.rate), _dec(line.discount_percent)
	amount = round_amount(qty * rate * (100 - discount) / 100, precision)
	vat_rate = Decimal(0) if line.vat_exempt else _dec(line.vat_rate)
	if prices_include_vat:
		vat = round_amount(amount * vat_rate / (100 + vat_rate), precision)
		net = amount - vat
	else:
		vat = round_amount(amount * vat_rate / 100, precision)
		net = amount
	return LineResult(amount=float(amount), vat_amount=float(vat), net_amount=float(net))


def compute_totals(lines: list[LineInput], prices_include_vat: bool, precision: int = 2) -> DealTotals:
	"""Amounts of every line and the deal totals; `vat_by_rate` maps each VAT rate
	of a taxable line to its VAT sum (exempt lines are left out)."""
	result = DealTotals()
	net_total = vat_total = Decimal(0)
	by_rate: dict[float, Decimal] = {}
	for line in lines:
		computed = compute_line(line, prices_include_vat, precision)
		result.lines.append(computed)
		net_total += _dec(computed.net_amount)
		vat_total += _dec(computed.vat_amount)
		if not line.vat_exempt:
			key = float(line.vat_rate or 0)
			by_rate[key] = by_rate.get(key, Decimal(0)) + _dec(computed.vat_amount)
	result.net_total = float(net_total)
	result.vat_total = float(vat_total)
	result.grand_total = float(net_total + vat_total)
	result.vat_by_rate = {rate: float(amount) for rate, amount in sorted(by_rate.items())}
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
