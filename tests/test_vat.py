"""VAT by date and tax regime (crm_app.deals.vat), and 22/122 of a VAT-included price."""

from datetime import date, datetime

import pytest

from crm_app.deals import vat
from crm_app.deals.totals import LineInput, compute_totals

SHIPPED = [(start, rate) for start, rate, _law in vat.STANDARD_RATES]


@pytest.mark.parametrize(
	"day, rate",
	[
		(date(2025, 12, 31), 20),
		("2026-01-01", 22),
		(datetime(2026, 12, 4, 23, 59), 22),
		(date(2019, 1, 1), 20),
	],
)
def test_the_standard_rate_follows_the_tax_date(day, rate):
	assert vat.rate_on(day, SHIPPED) == rate


def test_a_row_a_site_adds_needs_no_release_and_order_does_not_matter():
	rates = [("2030-01-01", 25, "a future law"), *vat.STANDARD_RATES]
	assert vat.rate_on("2029-12-31", rates) == 22
	assert vat.rate_on("2030-01-01", rates) == 25


def test_before_the_first_row_the_fallback_and_without_one_an_error():
	assert vat.rate_on("2018-12-31", SHIPPED, fallback=18) == 18
	with pytest.raises(vat.VatRateError):
		vat.rate_on("2018-12-31", SHIPPED)
	assert vat.rate_on("2026-02-01", [], fallback=22) == 22


@pytest.mark.parametrize(
	"regime, expected",
	[
		(vat.GENERAL, 22),
		(None, 22),
		(vat.SIMPLIFIED_5, 5),
		(vat.SIMPLIFIED_7, 7),
		(vat.NOT_A_VAT_PAYER, None),
	],
)
def test_the_regime_decides_the_standard_rate(regime, expected):
	assert vat.standard_rate(regime, "2026-03-01", SHIPPED) == expected


def test_an_unknown_regime_is_refused():
	with pytest.raises(vat.VatRateError):
		vat.standard_rate("Barter", "2026-03-01", SHIPPED)


def test_line_rates_own_standard_exempt():
	on = {"regime": vat.GENERAL, "day": "2026-03-01", "rates": SHIPPED}
	assert vat.line_rate(**on, standard=True, own_rate=20, exempt=False) == (22, False)
	assert vat.line_rate(**on, standard=False, own_rate=10, exempt=False) == (10, False)
	assert vat.line_rate(**on, standard=False, own_rate=0, exempt=False) == (0, False)  # export
	assert vat.line_rate(**on, standard=True, own_rate=0, exempt=True) == (0, True)
	assert vat.line_rate(
		vat.NOT_A_VAT_PAYER, "2026-03-01", SHIPPED, standard=False, own_rate=10, exempt=False
	) == (
		0,
		True,
	)
	assert vat.line_rate(vat.GENERAL, "2025-06-01", SHIPPED, standard=True, own_rate=0, exempt=False) == (
		20,
		False,
	)


def test_only_standard_rows_with_another_rate_are_repriced():
	rows = [(1, True, False, 20), (2, False, False, 10), (3, True, True, 0), (4, True, False, 22)]
	assert vat.repriced_rows(rows, 22) == [(1, 20.0)]


def test_vat_included_at_22_is_22_of_122():
	totals = compute_totals([LineInput(qty=1, rate=12200, vat_rate=22)], prices_include_vat=True)
	assert totals.vat_total == 2200.0
	assert totals.net_total == 10000.0
	totals = compute_totals([LineInput(qty=1, rate=100, vat_rate=22)], prices_include_vat=True)
	assert totals.vat_total == 18.03  # 100 x 22 / 122 = 18.0327…


def test_what_a_rate_meant_before_rates_by_date():
	assert vat.is_standard_in_earlier_versions(20)
	assert vat.is_standard_in_earlier_versions(None)
	assert vat.is_standard_in_earlier_versions(0)
	assert not vat.is_standard_in_earlier_versions(10)
	assert not vat.is_standard_in_earlier_versions(22)
