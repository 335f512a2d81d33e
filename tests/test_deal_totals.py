from decimal import Decimal

import pytest

from crm_app.deals.totals import (
	LineInput,
	compute_line,
	compute_totals,
	discounted_rate,
	line_errors,
	round_amount,
)


def test_round_half_up():
	assert round_amount(0.125, 2) == Decimal("0.13")
	assert round_amount(2.675, 2) == Decimal("2.68")  # float 2.675 is 2.67499...; we round the decimal text
	assert round_amount(10.5, 0) == Decimal("11")


def test_vat_added_on_top():
	line = compute_line(LineInput(qty=2, rate=1000, vat_rate=20), prices_include_vat=False)
	assert (line.amount, line.vat_amount, line.net_amount) == (2000, 400, 2000)


def test_vat_included_in_price():
	line = compute_line(LineInput(qty=1, rate=1200, vat_rate=20), prices_include_vat=True)
	assert (line.amount, line.vat_amount, line.net_amount) == (1200, 200, 1000)


def test_discount_and_rounding():
	# price after discount 33.33 * 0.9 = 29.997 -> 30.00; amount 90.00; VAT included 90 * 20 / 120 = 15
	line = compute_line(LineInput(qty=3, rate=33.33, discount_percent=10, vat_rate=20), True)
	assert (line.amount, line.vat_amount, line.net_amount) == (90.0, 15.0, 75.0)


def test_price_after_discount_is_rounded_before_the_quantity():
	# 10.01 * 0.85 = 8.5085 -> 8.51, x 7 = 59.57 (rounding once, 7 * 8.5085 = 59.5595, would give 59.56)
	assert discounted_rate(10.01, 15) == Decimal("8.51")
	assert compute_line(LineInput(qty=7, rate=10.01, discount_percent=15), False).amount == 59.57


def test_exempt_line_has_no_vat_whatever_its_rate():
	line = compute_line(LineInput(qty=1, rate=500, vat_rate=20, vat_exempt=True), False)
	assert line.vat_amount == 0


def test_totals_and_vat_by_rate():
	lines = [
		LineInput(qty=1, rate=1000, vat_rate=20),
		LineInput(qty=2, rate=100, vat_rate=10),
		LineInput(qty=1, rate=300, vat_rate=20),
		LineInput(qty=1, rate=50, vat_exempt=True),
	]
	totals = compute_totals(lines, prices_include_vat=False)
	assert totals.net_total == 1550
	assert totals.vat_total == 200 + 20 + 60
	assert totals.grand_total == 1830
	assert totals.vat_by_rate == {10.0: 20, 20.0: 260}


def test_vat_is_rounded_per_rate_not_per_line():
	lines = [LineInput(qty=1, rate=0.1, vat_rate=20) for _ in range(3)]
	totals = compute_totals(lines, prices_include_vat=True)
	# each line shows 0.10 gross with VAT 0.0167 -> 0.02; the total VAT is 0.30 * 20 / 120 = 0.05
	assert [(line.vat_amount, line.net_amount) for line in totals.lines] == [(0.02, 0.08)] * 3
	assert (totals.net_total, totals.vat_total, totals.grand_total) == (0.25, 0.05, 0.3)
	assert totals.vat_by_rate == {20.0: 0.05}


def test_precision_zero_currency():
	totals = compute_totals([LineInput(qty=1, rate=1001, vat_rate=20)], prices_include_vat=True, precision=0)
	assert (totals.vat_total, totals.net_total, totals.grand_total) == (167, 834, 1001)


def test_full_discount():
	assert compute_line(LineInput(qty=5, rate=10, discount_percent=100, vat_rate=20), False).amount == 0


def test_empty_deal():
	totals = compute_totals([], prices_include_vat=True)
	assert (totals.net_total, totals.vat_total, totals.grand_total, totals.vat_by_rate) == (0, 0, 0, {})


@pytest.mark.parametrize(
	"qty, rate, discount, expected",
	[
		(1, 0, 0, []),
		(0, 10, 0, ["qty"]),
		(-1, 10, 0, ["qty"]),
		(1, -0.01, 0, ["rate"]),
		(1, 10, 100.01, ["discount_percent"]),
		(1, 10, -1, ["discount_percent"]),
		(0, -1, 101, ["qty", "rate", "discount_percent"]),
	],
)
def test_line_errors(qty, rate, discount, expected):
	assert line_errors(qty, rate, discount) == expected
