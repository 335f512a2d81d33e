"""A deal's money: its lines, discounts, VAT and totals.

`totals` is pure (Decimal maths, no Frappe) for the offline tests; `lines` applies it to a
Deal."""
