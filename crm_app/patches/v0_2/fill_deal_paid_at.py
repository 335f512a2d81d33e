"""Paid At (the date money figures count a paid deal on) for deals paid before it existed."""

import frappe

from crm_app.pipeline.rules import refresh_funnel_facts
from crm_app.pipeline.stages import PAID_STAGES


def execute():
	for name in frappe.get_all("Deal", filters={"stage": ("in", PAID_STAGES)}, pluck="name"):
		refresh_funnel_facts(name)
