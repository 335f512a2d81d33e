from decimal import Decimal

import pytest

from crm_app.utils.deal_totals import LineInput, compute_line, compute_totals, line_errors, round_amount


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
	# 3 * 33.33 * 0.9 = 89.991 -> 89.99; VAT included 89.99 * 20 / 120 = 14.9983 -> 15.00
	line = compute_line(LineInput(qty=3, rate=33.33, discount_percent=10, vat_rate=20), True)
	assert (line.amount, line.vat_amount, line.net_amount) == (89.99, 15.0, 74.99)


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


def test_totals_included_sum_of_rounded_lines():
	lines = [LineInput(qty=1, rate=0.1, vat_rate=20) for _ in range(3)]
	totals = compute_totals(lines, prices_include_vat=True)
	# each line: 0.10 gross, VAT 0.0167 -> 0.02, net 0.08
	assert [(line.vat_amount, line.net_amount) for line in totals.lines] == [(0.02, 0.08)] * 3
	assert (totals.net_total, totals.vat_total, totals.grand_total) == (0.24, 0.06, 0.3)


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
