# Copyright (c) 2026, crm_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, getdate

from crm_app.analytics import probability
from crm_app.clients import requisites
from crm_app.clients.validation import clean_requisites, throw_invalid
from crm_app.deals import vat


class CRMAppSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from crm_app.crm_app.doctype.crm_vat_rate.crm_vat_rate import CRMVATRate
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
		seller_edo_id: DF.Data | None
		seller_inn: DF.Data | None
		seller_kpp: DF.Data | None
		seller_legal_name: DF.Data | None
		seller_ogrn: DF.Data | None
		seller_settlement_account: DF.Data | None
		seller_tax_regime: DF.Literal[
			"General", "Simplified, VAT 5%", "Simplified, VAT 7%", "Not a VAT Payer"
		]
		seller_vat_payer: DF.Check
		stage_probabilities: DF.Table[DealStageProbability]
		vat_rates: DF.Table[CRMVATRate]
	# end: auto-generated types

	def validate(self):
		self.validate_phone_region()
		if not 0 <= (self.default_vat_rate or 0) <= 100:
			frappe.throw(_("Default VAT Rate must be between 0 and 100."), title=_("Invalid Value"))
		self.validate_vat_rates()
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

	def validate_vat_rates(self):
		"""One rate per date, each between 0 and 100. The VAT Payer flag of earlier
		versions follows the tax regime; a caller that still sets only the flag (REST, an
		older script) moves the regime to "Not a VAT Payer" or back to "General"."""
		before = self.get_doc_before_save()
		payer_set = before and cint(before.seller_vat_payer) != cint(self.seller_vat_payer)
		if payer_set and before.seller_tax_regime == self.seller_tax_regime:
			not_payer = self.seller_tax_regime == vat.NOT_A_VAT_PAYER
			if not cint(self.seller_vat_payer):
				self.seller_tax_regime = vat.NOT_A_VAT_PAYER
			elif not_payer:
				self.seller_tax_regime = vat.GENERAL
		self.seller_tax_regime = self.seller_tax_regime or vat.GENERAL
		self.seller_vat_payer = 0 if self.seller_tax_regime == vat.NOT_A_VAT_PAYER else 1
		seen = set()
		for row in self.vat_rates:
			if not 0 <= (row.rate or 0) <= 100:
				frappe.throw(
					_("VAT Rates, row {0}: the rate must be between 0 and 100.").format(row.idx),
					title=_("Invalid Value"),
				)
			day = getdate(row.valid_from)
			if day in seen:
				frappe.throw(
					_("VAT Rates, row {0}: another rate is already in force from {1}.").format(
						row.idx, frappe.utils.formatdate(row.valid_from)
					),
					title=_("Invalid Value"),
				)
			seen.add(day)


def probability_rows(doc) -> list[tuple]:
	return [(row.stage, row.probability) for row in doc.get("stage_probabilities") or []]
