"""VAT by date on a site configured as the README says: 22 % from 2026, 20 % in 2025, an
item's own 10 % kept, a deal priced under the old rate repriced at Issue Invoice (every
door that issues it), the seller's tax regime, and the upgrade patch that leaves what is
issued alone."""

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import flt

from crm_app.deals.lines import reprice_at_invoice, standard_vat_rate
from crm_app.documents import payment_qr
from crm_app.documents.printing import deal_print_context
from crm_app.tests import CRMTestCase
from crm_app.tests.test_closing_documents import SELLER
from crm_app.tests.utils import fresh_settings, make_deal, make_item, set_settings

NEW_SITE = {"erpnext_enabled": 0}


def issue(deal_name: str):
	return apply_workflow(frappe.get_doc("Deal", deal_name).as_dict(), "Issue Invoice")


def negotiate(deal):
	apply_workflow(deal.as_dict(), "Start Negotiation")
	return frappe.get_doc("Deal", deal.name)


class TestVatByDate(CRMTestCase):
	def setUp(self):
		fresh_settings(**NEW_SITE)

	def tearDown(self):
		frappe.db.rollback()
		frappe.clear_document_cache("CRM App Settings", "CRM App Settings")

	def test_a_fresh_site_charges_22_and_keeps_an_items_own_10(self):
		settings = frappe.get_single("CRM App Settings")
		self.assertEqual(flt(settings.default_vat_rate), 22)
		self.assertEqual(settings.seller_tax_regime, "General")
		self.assertEqual(
			[
				(str(r.valid_from), flt(r.rate))
				for r in sorted(settings.vat_rates, key=lambda r: r.valid_from)
			],
			[("2019-01-01", 20), ("2026-01-01", 22)],
		)
		standard = make_item(standard_rate=12200)  # a new item follows the standard rate
		reduced = make_item(standard_rate=1100, standard_vat_rate=0, vat_rate=10)
		deal = make_deal(
			items=[{"catalog_item": standard.name, "qty": 1}, {"catalog_item": reduced.name, "qty": 1}],
			prices_include_vat=1,
		)
		self.assertEqual([(flt(r.vat_rate), r.standard_vat_rate) for r in deal.items], [(22, 1), (10, 0)])
		self.assertEqual(flt(deal.items[0].vat_amount), 2200)  # 12,200 x 22/122
		self.assertEqual(flt(deal.items[1].vat_amount), 100)  # 1,100 x 10/110
		self.assertEqual(flt(deal.vat_total), 2300)

	def test_a_deal_priced_under_20_takes_22_at_issue_invoice_and_says_so(self):
		item = make_item(standard_rate=100)
		deal = negotiate(make_deal(items=[{"catalog_item": item.name, "qty": 10}], prices_include_vat=0))
		# priced in 2025: the line carries the standard rate of then
		frappe.db.set_value("Deal Item", deal.items[0].name, "vat_rate", 20)
		self.assertEqual(standard_vat_rate("2025-12-31"), 20)
		issue(deal.name)
		deal = frappe.get_doc("Deal", deal.name)
		self.assertEqual(deal.stage, "Invoice Issued")
		self.assertEqual(flt(deal.items[0].vat_rate), 22)
		self.assertEqual((flt(deal.vat_total), flt(deal.grand_total)), (220, 1220))
		comments = frappe.get_all(
			"Comment", filters={"reference_doctype": "Deal", "reference_name": deal.name}, pluck="content"
		)
		self.assertTrue(any("20%" in c and "22%" in c for c in comments), comments)

	def test_issue_invoice_by_bulk_edit_reprices_too(self):
		from frappe.desk.doctype.bulk_update.bulk_update import submit_cancel_or_update_docs

		item = make_item(standard_rate=100)
		deal = negotiate(make_deal(items=[{"catalog_item": item.name, "qty": 1}], prices_include_vat=0))
		frappe.db.set_value("Deal Item", deal.items[0].name, "vat_rate", 20)
		submit_cancel_or_update_docs("Deal", [deal.name], action="update", data={"stage": "Invoice Issued"})
		deal = frappe.get_doc("Deal", deal.name)
		self.assertEqual(
			(deal.stage, flt(deal.items[0].vat_rate), flt(deal.vat_total)), ("Invoice Issued", 22, 22)
		)

	def test_a_tax_date_in_2025_prints_20(self):
		set_settings(**SELLER)
		item = make_item(standard_rate=120)
		deal = negotiate(make_deal(items=[{"catalog_item": item.name, "qty": 1}], prices_include_vat=1))
		self.assertEqual(reprice_at_invoice(deal, "2025-12-20"), [(1, 22.0)])
		deal.save()
		context = deal_print_context(deal)
		self.assertEqual([(flt(r["rate"]), flt(r["amount"])) for r in context["vat_by_rate"]], [(20, 20)])
		purpose = payment_qr.invoice_purpose(context["number"], "20.12.2025", context["vat_by_rate"], False)
		self.assertIn("в т.ч. НДС (20%) 20,00", purpose)
		self.assertTrue(context["payment_qr"].startswith("data:image/png"))

	def test_the_regime_decides(self):
		item = make_item(standard_rate=100)
		own = make_item(standard_rate=100, standard_vat_rate=0, vat_rate=10)
		lines = [{"catalog_item": item.name, "qty": 1}, {"catalog_item": own.name, "qty": 1}]
		set_settings(seller_tax_regime="Simplified, VAT 5%")
		self.assertEqual([flt(r.vat_rate) for r in make_deal(items=lines).items], [5, 10])
		# the VAT Payer switch of earlier versions still works, through the regime
		set_settings(seller_vat_payer=0)
		settings = frappe.get_single("CRM App Settings")
		self.assertEqual(settings.seller_tax_regime, "Not a VAT Payer")
		deal = make_deal(items=lines)
		self.assertEqual([(flt(r.vat_rate), r.vat_exempt) for r in deal.items], [(0, 1), (0, 1)])
		self.assertEqual(flt(deal.vat_total), 0)
		set_settings(seller_vat_payer=1)
		self.assertEqual(frappe.get_single("CRM App Settings").seller_tax_regime, "General")

	def test_a_rate_table_refuses_two_rates_from_one_date(self):
		settings = frappe.get_single("CRM App Settings")
		settings.append("vat_rates", {"valid_from": "2026-01-01", "rate": 25})
		with self.assertRaises(frappe.ValidationError):
			settings.save()

	def test_a_site_adds_the_next_rate_without_a_release(self):
		settings = frappe.get_single("CRM App Settings")
		settings.append("vat_rates", {"valid_from": "2030-01-01", "rate": 25, "basis": "a future law"})
		settings.save()
		frappe.clear_document_cache("CRM App Settings", "CRM App Settings")
		self.assertEqual(standard_vat_rate("2029-12-31"), 22)
		self.assertEqual(standard_vat_rate("2030-01-01"), 25)

	def test_an_item_given_only_a_rate_reads_it_as_earlier_versions_did(self):
		self.assertEqual(make_item(vat_rate=20).standard_vat_rate, 1)
		self.assertEqual(make_item(vat_rate=10).standard_vat_rate, 0)
		self.assertEqual(make_item().standard_vat_rate, 1)


class TestUpgradePatch(CRMTestCase):
	def tearDown(self):
		frappe.db.rollback()
		frappe.clear_document_cache("CRM App Settings", "CRM App Settings")

	def test_old_standard_items_follow_the_rate_own_rates_and_issued_deals_stay(self):
		from crm_app.patches.v0_6.vat_rates_by_date import execute

		fresh_settings(**NEW_SITE)
		old_standard = make_item(standard_rate=100, standard_vat_rate=1)
		reduced = make_item(standard_rate=100, standard_vat_rate=0, vat_rate=10)
		open_deal = negotiate(make_deal(items=[{"catalog_item": old_standard.name, "qty": 1}]))
		issued = make_deal(items=[{"catalog_item": old_standard.name, "qty": 1}])
		issue(negotiate(issued).name)
		# the site as an earlier version left it: rates stored on items and lines, no flags
		frappe.db.set_value("Catalog Item", old_standard.name, {"vat_rate": 20, "standard_vat_rate": 0})
		frappe.db.set_value("Catalog Item", reduced.name, "standard_vat_rate", 1)
		for deal in (open_deal, frappe.get_doc("Deal", issued.name)):
			frappe.db.set_value("Deal Item", deal.items[0].name, {"vat_rate": 20, "standard_vat_rate": 0})
		frappe.db.delete("CRM VAT Rate", {"parenttype": "CRM App Settings"})
		frappe.db.set_single_value("CRM App Settings", {"seller_tax_regime": None, "default_vat_rate": 20})
		issued_totals = frappe.db.get_value("Deal", issued.name, ["vat_total", "grand_total"])

		execute()

		self.assertEqual(frappe.db.get_value("Catalog Item", old_standard.name, "standard_vat_rate"), 1)
		self.assertEqual(frappe.db.get_value("Catalog Item", reduced.name, "standard_vat_rate"), 0)
		self.assertEqual(frappe.db.get_value("Deal Item", open_deal.items[0].name, "standard_vat_rate"), 1)
		issued = frappe.get_doc("Deal", issued.name)
		self.assertEqual((issued.items[0].standard_vat_rate, flt(issued.items[0].vat_rate)), (0, 20))
		self.assertEqual(
			frappe.db.get_value("Deal", issued.name, ["vat_total", "grand_total"]), issued_totals
		)
		settings = frappe.get_single("CRM App Settings")
		self.assertEqual((settings.seller_tax_regime, flt(settings.default_vat_rate)), ("General", 22))
		self.assertEqual(len(settings.vat_rates), 2)
		# the open deal takes 22 % when its invoice is issued
		issue(open_deal.name)
		self.assertEqual(flt(frappe.get_doc("Deal", open_deal.name).items[0].vat_rate), 22)
