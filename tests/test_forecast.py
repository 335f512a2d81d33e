"""Sales analytics maths on hand-made facts with known answers."""

from datetime import date

from crm_app.analytics.forecast import (
	NO_CLOSE_DATE,
	ClosedGroup,
	achieved,
	cycle_days,
	effective_probability,
	expected_amount,
	measured_probabilities,
	month_bounds,
	month_key,
	months_between,
	prorated,
	win_rate,
)

STATES = ["Request Received", "Negotiation", "Invoice Issued", "Invoice Paid", "Goods Shipped", "Lost"]
RR, NEG, INV, PAID = (
	"|Request Received|",
	"|Request Received|Negotiation|",
	("|Request Received|Negotiation|Invoice Issued|"),
	"|Request Received|Negotiation|Invoice Issued|Invoice Paid|",
)


def test_measured_probability_counts_closed_deals_only():
	groups = [
		ClosedGroup("Invoice Paid", PAID, 10),  # won, reached every stage up to paid
		ClosedGroup("Goods Shipped", PAID + "Goods Shipped|", 5),  # won and shipped
		ClosedGroup("Lost", RR + "Lost|", 20),  # lost at the first stage
		ClosedGroup("Lost", NEG + "Lost|", 5),  # lost in negotiation
		ClosedGroup("Negotiation", NEG, 100),  # open: says nothing yet
		ClosedGroup("Invoice Issued", INV, 50),  # open
	]
	measured = measured_probabilities(STATES, groups, min_deals=20)
	# reached Request Received and closed: 10 + 5 + 20 + 5 = 40, of which 15 won
	assert measured["Request Received"].closed_deals == 40
	assert measured["Request Received"].probability == 37.5
	# reached Negotiation and closed: 15 won + 5 lost = 20
	assert measured["Negotiation"].probability == 75.0
	# reached Invoice Issued and closed: the 15 won only — fewer than 20: no measure
	assert measured["Invoice Issued"].closed_deals == 15
	assert measured["Invoice Issued"].probability is None
	assert measured["Lost"].probability == 0.0  # 25 closed deals reached Lost, none won


def test_measured_with_enough_deals_at_every_stage():
	groups = [ClosedGroup("Invoice Paid", PAID, 30), ClosedGroup("Lost", INV + "Lost|", 10)]
	measured = measured_probabilities(STATES, groups, min_deals=20)
	assert measured["Invoice Issued"].probability == 75.0
	assert measured["Invoice Paid"].probability == 100.0
	assert measured["Lost"].probability is None  # 10 closed deals reached Lost: too few


def test_effective_probability_and_expected_amount():
	assert effective_probability(30, 42.5, "Measured") == 42.5
	assert effective_probability(30, None, "Measured") == 30
	assert effective_probability(30, 42.5, "Fixed") == 30
	assert expected_amount(1000, 37.5) == 375.0
	assert expected_amount(333.33, 33.33) == 111.1


def test_months():
	assert month_key("2026-12-31") == "2026-12"
	assert month_key(date(2027, 1, 1)) == "2027-01"
	assert month_key(None) == NO_CLOSE_DATE
	assert months_between(date(2026, 11, 30), date(2027, 2, 1)) == [
		"2026-11",
		"2026-12",
		"2027-01",
		"2027-02",
	]
	assert month_bounds("2028-02") == (date(2028, 2, 1), date(2028, 2, 29))


def test_targets_prorated_by_days():
	# a quarterly target of 9,200 for October to December 2026 (92 days): October has 31 of them
	start, end = date(2026, 10, 1), date(2026, 12, 31)
	assert round(prorated(9200, start, end, date(2026, 10, 1), date(2026, 10, 31)), 2) == 3100.0
	assert prorated(9200, start, end, date(2027, 1, 1), date(2027, 1, 31)) == 0
	# the three months add up to the whole target
	months = [month_bounds(k) for k in months_between(start, end)]
	assert round(sum(prorated(9200, start, end, a, b) for a, b in months), 6) == 9200


def test_win_rate_cycle_and_achievement():
	assert win_rate(3, 1) == 75.0
	assert win_rate(0, 0) is None
	assert cycle_days(3 * 86400 * 2, 2) == 3.0
	assert cycle_days(0, 0) is None
	assert achieved(750, 1000) == 75.0
	assert achieved(750, 0) is None
