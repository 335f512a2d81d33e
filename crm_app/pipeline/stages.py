"""The deal's stages as data: the standard stage names, transitions, frozen stages and
what the ledger says about an invoiced deal.

Pure functions over plain values (state names, transition tuples, amounts), so the
offline tests feed them hand-made pipelines. The states and transitions themselves
always come from the site's Workflow, never from this module: only the few states
whose rules the product fixes are named here.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

REQUEST_RECEIVED = "Request Received"
NEGOTIATION = "Negotiation"
INVOICE_ISSUED = "Invoice Issued"
INVOICE_PAID = "Invoice Paid"
GOODS_SHIPPED = "Goods Shipped"
LOST = "Lost"
LEDGER_STAGES = (INVOICE_ISSUED, INVOICE_PAID, GOODS_SHIPPED)


PAID_STAGES = (INVOICE_PAID, GOODS_SHIPPED)

# What the ledger says of an invoice (see `settlement`)
OPEN = "open"
PAID = "paid"
CREDITED = "credited"


def settlement(total: float, credited: float, paid: float, precision: int = 2) -> str:
	"""What the vouchers against an invoice say of it, in the invoice's currency.

	- `total`: the invoice's grand total (rounded total where ERPNext rounds);
	- `credited`: the sum of the credit notes (returns) made against it, positive;
	- `paid`: what payments allocated to it (Payment Entry, Journal Entry, an advance
	  reconciled with it), positive.

	Returns CREDITED when the credit notes cover the whole invoice (it is as good as
	cancelled), PAID when the payments cover what the credit notes left, else OPEN.
	An outstanding amount brought to zero by a credit note alone is not a payment.
	Amounts are compared at `precision` decimals (half a unit of the last one).
	"""
	tolerance = 0.5 / 10**precision
	total, credited, paid = abs(total or 0), abs(credited or 0), paid or 0
	if total <= tolerance:
		return OPEN
	if credited >= total - tolerance:
		return CREDITED
	if paid >= total - credited - tolerance:
		return PAID
	return OPEN


def ledger_stage(paid: bool, shipped: bool) -> str:
	"""The stage the ledger's facts put an invoiced deal at: shipped goods win
	(a delivery may precede the payment), then payment, else the open invoice."""
	if shipped:
		return GOODS_SHIPPED
	if paid:
		return INVOICE_PAID
	return INVOICE_ISSUED


@dataclass(frozen=True)
class Transition:
	state: str
	action: str
	next_state: str
	allowed: str


def allowed_transitions(transitions: Iterable[Transition], current: str, roles: Iterable[str]):
	roles = set(roles)
	return [t for t in transitions if t.state == current and t.allowed in roles]


def can_move(transitions: Iterable[Transition], current: str, target: str, roles: Iterable[str]) -> bool:
	return any(t.next_state == target for t in allowed_transitions(transitions, current, roles))


def _reachable(start: str, edges: dict[str, set[str]]) -> set[str]:
	seen, stack = set(), [start]
	while stack:
		state = stack.pop()
		for nxt in edges.get(state, ()):
			if nxt not in seen:
				seen.add(nxt)
				stack.append(nxt)
	return seen


def frozen_states(transitions: Iterable[Transition], anchor: str = INVOICE_ISSUED) -> set[str]:
	"""States where a deal's commercial terms are frozen: the anchor (Invoice
	Issued) and every state after it, i.e. reachable from it but from which the
	anchor cannot be reached again. A custom state inserted before the anchor
	(Contract Signed) stays editable; one added after Goods Shipped is frozen."""
	forward: dict[str, set[str]] = defaultdict(set)
	for t in transitions:
		forward[t.state].add(t.next_state)
	after_anchor = _reachable(anchor, forward)
	return {anchor} | {s for s in after_anchor if s != anchor and anchor not in _reachable(s, forward)}
