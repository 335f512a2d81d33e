"""Sales analytics as plain maths: measured stage probabilities, the forecast's months,
targets prorated by days, win rates and cycle times.

Pure functions over plain values (grouped funnel facts, dates, amounts), so the offline
tests state the definitions on hand-made rows with known answers. The reports read the
grouped facts with one aggregate query each and hand them here.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from crm_app.pipeline.facts import decode_stage_set
from crm_app.pipeline.stages import LOST, PAID_STAGES

MIN_MEASURED_DEALS = 20
NO_CLOSE_DATE = "No Close Date"


@dataclass
class ClosedGroup:
	"""Deals created in the history window, grouped by where they are now and the stages
	they reached (the funnel facts' `reached_stages`)."""

	stage: str
	reached_stages: str
	count: int


@dataclass
class Measured:
	probability: float | None  # %, None when too few closed deals reached the stage
	closed_deals: int  # closed deals (paid, shipped or lost) that reached the stage


def measured_probabilities(
	states: list[str],
	groups: Iterable[ClosedGroup],
	min_deals: int = MIN_MEASURED_DEALS,
	paid_stages: tuple[str, ...] = PAID_STAGES,
	lost_state: str = LOST,
) -> dict[str, Measured]:
	"""The measured probability of each stage, in %: of the closed deals (now paid, shipped
	or lost) that reached the stage, the share now paid or shipped. Deals still open say
	nothing yet and are left out. A stage that fewer than `min_deals` closed deals reached
	has no measured probability (None): the settings' fixed value stands in."""
	closed: dict[str, int] = dict.fromkeys(states, 0)
	won: dict[str, int] = dict.fromkeys(states, 0)
	for group in groups:
		if group.stage not in paid_stages and group.stage != lost_state:
			continue
		for stage in set(decode_stage_set(group.reached_stages)) | {group.stage}:
			if stage not in closed:
				continue
			closed[stage] += group.count
			if group.stage in paid_stages:
				won[stage] += group.count
	return {
		stage: Measured(
			probability=round(100 * won[stage] / closed[stage], 2) if closed[stage] >= min_deals else None,
			closed_deals=closed[stage],
		)
		for stage in states
	}


def effective_probability(fixed: float, measured: float | None, source: str) -> float:
	"""The probability a stage's deals carry: the measured one when the source is Measured
	and there is one, else the fixed value."""
	if source == "Measured" and measured is not None:
		return measured
	return fixed or 0.0


def expected_amount(grand_total: float, probability: float, precision: int = 2) -> float:
	"""Grand total times probability (%), at the currency's precision."""
	return round((grand_total or 0) * (probability or 0) / 100, precision)


def month_key(value: date | datetime | str | None) -> str:
	"""The forecast row a date falls in: "YYYY-MM", or NO_CLOSE_DATE without a date."""
	if not value:
		return NO_CLOSE_DATE
	if isinstance(value, str):
		value = date.fromisoformat(value[:10])
	return f"{value.year:04d}-{value.month:02d}"


def months_between(start: date, end: date) -> list[str]:
	"""Every "YYYY-MM" from the month of `start` to the month of `end`, in order."""
	keys, year, month = [], start.year, start.month
	while (year, month) <= (end.year, end.month):
		keys.append(f"{year:04d}-{month:02d}")
		year, month = (year + 1, 1) if month == 12 else (year, month + 1)
	return keys


def month_bounds(key: str) -> tuple[date, date]:
	year, month = (int(part) for part in key.split("-"))
	return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def prorated(amount: float, start: date, end: date, window_start: date, window_end: date) -> float:
	"""The part of a target for [start, end] (dates inclusive) that falls in [window_start,
	window_end], by days."""
	days = (end - start).days + 1
	overlap = (min(end, window_end) - max(start, window_start)).days + 1
	if days <= 0 or overlap <= 0:
		return 0.0
	return (amount or 0) * overlap / days


def win_rate(won: int, lost: int) -> float | None:
	"""Won / (won + lost), in %; None when nothing was closed."""
	if not won + lost:
		return None
	return round(100 * won / (won + lost), 2)


def achieved(paid: float, target: float) -> float | None:
	"""Paid / target, in %; None without a target."""
	if not target:
		return None
	return round(100 * (paid or 0) / target, 2)


def cycle_days(total_seconds: float, deals: int) -> float | None:
	"""Average days from creation to payment over `deals` won deals."""
	if not deals:
		return None
	return round(total_seconds / deals / 86400, 2)
