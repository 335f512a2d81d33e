# Copyright (c) 2026, crm_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from crm_app.analytics import probability
from crm_app.clients import requisites
from crm_app.clients.validation import clean_requisites, throw_invalid


class CRMAppSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from crm_app.crm_app.doctype.deal_stage_probability.deal_stage_probability import DealStageProbability

		default_currency: DF.Link | None
		default_phone_region: DF.Data | None
		default_uom: DF.Data | None
		default_vat_rate: DF.Percent
		forecast_history_months: DF.Int
		forecast_probability_source: DF.Literal["Measured", "Fixed"]
		idle_days: DF.Int
		offer_terms: DF.SmallText | None
		offer_validity_days: DF.Int
		own_deals_only: DF.Check
		payment_reminder_days: DF.Int
		prices_include_vat: DF.Check
		seller_address: DF.SmallText | None
		seller_bank_name: DF.Data | None
		seller_bik: DF.Data | None
		seller_chief_accountant: DF.Data | None
		seller_correspondent_account: DF.Data | None
		seller_director: DF.Data | None
		seller_inn: DF.Data | None
		seller_kpp: DF.Data | None
		seller_legal_name: DF.Data | None
		seller_ogrn: DF.Data | None
		seller_settlement_account: DF.Data | None
		stage_probabilities: DF.Table[DealStageProbability]
	# end: auto-generated types

	def validate(self):
		self.validate_phone_region()
		if not 0 <= (self.default_vat_rate or 0) <= 100:
			frappe.throw(_("Default VAT Rate must be between 0 and 100."), title=_("Invalid Value"))
		# A 12-digit INN is a sole proprietor's; their OGRNIP has 15 digits and no KPP.
		entity = (
			requisites.SOLE_PROPRIETOR
			if len(requisites.compact(self.seller_inn)) == 12
			else requisites.LEGAL_ENTITY
		)
		clean_requisites(self, entity, {"inn": "seller_inn", "kpp": "seller_kpp", "ogrn": "seller_ogrn"})
		self.validate_bank()
		self.validate_stage_probabilities()

	def on_update(self):
		"""Deals carry their stage's probability: rewrite them when the table or the source
		changed."""
		before = self.get_doc_before_save()
		if before and (
			probability_rows(before) != probability_rows(self)
			or before.forecast_probability_source != self.forecast_probability_source
		):
			frappe.clear_document_cache(self.doctype, self.name)
			probability.apply_to_deals()

	def validate_stage_probabilities(self):
		seen = set()
		for row in self.stage_probabilities:
			if row.stage in seen:
				frappe.throw(
					_("Stage {0} has two probability rows.").format(frappe.bold(_(row.stage))),
					title=_("Invalid Value"),
				)
			seen.add(row.stage)
			if not 0 <= (row.probability or 0) <= 100:
				frappe.throw(
					_("Row {0}: Probability must be between 0 and 100.").format(row.idx),
					title=_("Invalid Value"),
				)

	def validate_phone_region(self):
		import phonenumbers

		region = (self.default_phone_region or "").strip().upper()
		if region and region not in phonenumbers.SUPPORTED_REGIONS:
			frappe.throw(
				_("{0} is not a two-letter country code known to the phone library.").format(region),
				title=_("Invalid Value"),
			)
		self.default_phone_region = region

	def validate_bank(self):
		try:
			if requisites.compact(self.seller_bik):
				self.seller_bik = requisites.validate_bik(self.seller_bik)
			if requisites.compact(self.seller_settlement_account):
				self.seller_settlement_account = requisites.validate_settlement_account(
					self.seller_settlement_account, self.seller_bik
				)
			if requisites.compact(self.seller_correspondent_account):
				self.seller_correspondent_account = requisites.validate_correspondent_account(
					self.seller_correspondent_account, self.seller_bik
				)
		except requisites.RequisiteError as e:
			throw_invalid(e, _("Invalid Bank Details"))


def probability_rows(doc) -> list[tuple]:
	return [(row.stage, row.probability) for row in doc.get("stage_probabilities") or []]
