"""A deal's funnel facts, kept on the deal at every stage change: the stages reached and
left, the stage of the last loss, when the current stage was entered, the seconds spent in
each standard stage (see `pipeline.rules`). The funnel and the forecast
(`crm_app.analytics`) aggregate them.

Pure functions over plain values (stage logs), so the offline tests state the definitions
on hand-made histories.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from crm_app.pipeline.stages import (
	GOODS_SHIPPED,
	INVOICE_ISSUED,
	INVOICE_PAID,
	LOST,
	NEGOTIATION,
	PAID_STAGES,
	REQUEST_RECEIVED,
)

# --- per-deal funnel facts ---------------------------------------------------------------------
#
# Kept on the deal itself so that the funnel is one aggregate pass over the deals
# (GROUP BY on a few short columns) instead of a scan of the history table: the
# stages reached and left (as "|A|B|" strings, whatever the site's stages are),
# the stage of the last loss, when the current stage was entered, and for the
# standard stages the seconds spent in them (columns). Time in a stage a site
# added itself comes from the history rows of that stage only.

STAGE_SECONDS_FIELDS = {
	REQUEST_RECEIVED: "seconds_in_request_received",
	NEGOTIATION: "seconds_in_negotiation",
	INVOICE_ISSUED: "seconds_in_invoice_issued",
	INVOICE_PAID: "seconds_in_invoice_paid",
	GOODS_SHIPPED: "seconds_in_goods_shipped",
	LOST: "seconds_in_lost",
}
STAGE_SET_SEPARATOR = "|"


def encode_stage_set(stages: Iterable[str]) -> str:
	stages = list(dict.fromkeys(s for s in stages if s))
	if not stages:
		return ""
	return STAGE_SET_SEPARATOR + STAGE_SET_SEPARATOR.join(stages) + STAGE_SET_SEPARATOR


def decode_stage_set(value: str | None) -> list[str]:
	return [s for s in (value or "").split(STAGE_SET_SEPARATOR) if s]


def funnel_key(reached_stages: str, left_stages: str, lost_from_stage: str) -> int:
	"""A stable 63-bit number for the three stage facts: the report groups deals by
	it (a short integer key in an index instead of three strings) and reads the
	strings back from one deal of each group."""
	text = "\x1f".join((reached_stages or "", left_stages or "", lost_from_stage or ""))
	if not text.strip("\x1f"):
		return 0
	return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big") >> 1


@dataclass
class FunnelFacts:
	reached: list[str] = field(default_factory=list)
	left: list[str] = field(default_factory=list)
	seconds: dict[str, float] = field(default_factory=dict)  # stage -> time spent, for stages left
	lost_from: str | None = None
	entered_at: object = None  # when the current stage was entered, if the rows say
	paid_at: object = None  # when the deal last entered Invoice Paid, while it is paid
	lost_at: object = None  # when the deal last entered Lost, while it is lost

	def as_fields(self) -> dict:
		"""The Deal fields that hold the facts."""
		values = {
			"reached_stages": encode_stage_set(self.reached),
			"left_stages": encode_stage_set(self.left),
			"lost_from_stage": self.lost_from or "",
			"stage_entered_at": self.entered_at,
			"paid_at": self.paid_at,
			"lost_at": self.lost_at,
		}
		values["funnel_key"] = funnel_key(
			values["reached_stages"], values["left_stages"], values["lost_from_stage"]
		)
		for stage, fieldname in STAGE_SECONDS_FIELDS.items():
			values[fieldname] = int(self.seconds.get(stage, 0))
		return values


def funnel_facts(history: Iterable[tuple], lost_state: str = LOST) -> FunnelFacts:
	"""Facts of one deal from its history rows (from_stage, stage, seconds in the
	previous stage[, changed_at]), oldest first.

	`paid_at` is the time of the last entry into Invoice Paid while the deal is still
	at Invoice Paid or Goods Shipped; a deal that went back (a cancelled payment, a
	credit note) or was shipped before it was ever paid has none: money figures count
	what the deal's state says now, never a history row a later change reversed.
	`lost_at` likewise: the last entry into Lost, while the deal is lost (a reopened deal
	has none)."""
	facts = FunnelFacts()
	stage = None
	for from_stage, stage, spent, *changed_at in history:
		facts.entered_at = changed_at[0] if changed_at else None
		if stage == INVOICE_PAID:
			facts.paid_at = facts.entered_at
		elif stage not in PAID_STAGES:
			facts.paid_at = None
		if stage not in facts.reached:
			facts.reached.append(stage)
		if from_stage:
			if from_stage not in facts.left:
				facts.left.append(from_stage)
			facts.seconds[from_stage] = facts.seconds.get(from_stage, 0) + (spent or 0)
		if stage == lost_state and from_stage:
			facts.lost_from = from_stage
	if stage not in PAID_STAGES:
		facts.paid_at = None
	facts.lost_at = facts.entered_at if stage == lost_state else None
	return facts
