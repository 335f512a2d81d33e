# Copyright (c) 2026, crm_app contributors
# For license information, please see license.txt

import frappe
from frappe.utils import nowdate

from crm_app.tests import ERPNEXT_LINK_TARGETS, CRMTestCase
from crm_app.tests.utils import make_company, make_contact, make_deal, make_item, set_settings

test_ignore = ERPNEXT_LINK_TARGETS


class TestDeal(CRMTestCase):
	def setUp(self):
		set_settings(default_vat_rate=20, prices_include_vat=1, default_currency="RUB")

	def test_name_title_and_defaults(self):
		company = make_company(company_name="Romashka LLC")
		deal = make_deal(company.name)
		self.assertRegex(deal.name, rf"^DEAL-{nowdate()[:4]}-\d{{5}}$")
		self.assertEqual(deal.title, "Romashka LLC")
		self.assertEqual(deal.responsible, frappe.session.user)

	def test_lines_take_catalog_defaults(self):
		item = make_item(
			item_name="Pump", uom="pcs", standard_rate=1200, vat_rate=10, description="<p>Big pump</p>"
		)
		deal = make_deal(items=[{"catalog_item": item.name, "qty": 2}])
		row = deal.items[0]
		self.assertEqual((row.item_name, row.uom, row.rate, row.vat_rate), ("Pump", "pcs", 1200, 10))
		self.assertEqual(row.description, "Big pump")
		self.assertEqual(row.amount, 2400)

	def test_explicit_line_values_win_over_catalog(self):
		item = make_item(standard_rate=1200)
		deal = make_deal(items=[{"catalog_item": item.name, "qty": 1, "rate": 999, "uom": "box"}])
		self.assertEqual((deal.items[0].rate, deal.items[0].uom), (999, "box"))

	def test_totals_vat_included(self):
		item = make_item(standard_rate=100, standard_vat_rate=0, vat_rate=20)
		deal = make_deal(
			prices_include_vat=1,
			items=[{"catalog_item": item.name, "qty": 3, "rate": 33.33, "discount_percent": 10}],
		)
		# 33.33 * 0.9 = 29.997 -> 30.00, x 3 = 90.00 gross; VAT 90 * 20/120 = 15.00
		self.assertEqual(deal.items[0].amount, 90.0)
		self.assertEqual(deal.items[0].vat_amount, 15.0)
		self.assertEqual((deal.net_total, deal.vat_total, deal.grand_total), (75.0, 15.0, 90.0))

	def test_totals_vat_added_and_exempt_lines(self):
		taxed = make_item(standard_rate=1000, standard_vat_rate=0, vat_rate=20)
		exempt = make_item(standard_rate=500, vat_exempt=1, vat_rate=20)
		deal = make_deal(
			prices_include_vat=0,
			items=[{"catalog_item": taxed.name, "qty": 1}, {"catalog_item": exempt.name, "qty": 2}],
		)
		self.assertEqual(deal.items[1].vat_rate, 0)
		self.assertTrue(deal.items[1].vat_exempt)
		self.assertEqual((deal.net_total, deal.vat_total, deal.grand_total), (2000, 200, 2200))

	def test_totals_are_recomputed_on_save(self):
		own_rate = make_item(standard_vat_rate=0, vat_rate=20)
		deal = make_deal(prices_include_vat=0, items=[{"catalog_item": own_rate.name, "qty": 1}])
		deal.items[0].qty = 5
		deal.items[0].rate = 10
		deal.save()
		self.assertEqual(deal.net_total, 50)
		self.assertEqual(deal.reload().grand_total, 60)

	def test_settings_defaults_apply_when_not_given(self):
		set_settings(prices_include_vat=0, default_currency="EUR")
		deal = frappe.get_doc(
			{"doctype": "Deal", "client_company": make_company().name, "items": []}
		).insert()
		self.assertEqual((deal.currency, deal.prices_include_vat), ("EUR", 0))
		set_settings(prices_include_vat=1)
		deal = frappe.get_doc({"doctype": "Deal", "client_company": make_company().name}).insert()
		self.assertEqual(deal.prices_include_vat, 1)
		deal = frappe.get_doc(
			{"doctype": "Deal", "client_company": make_company().name, "prices_include_vat": 0}
		).insert()
		self.assertEqual(deal.prices_include_vat, 0)

	def test_bad_lines_are_refused(self):
		item = make_item()
		for line in (
			{"qty": 0},
			{"qty": -1},
			{"rate": -5},
			{"discount_percent": 101},
			{"discount_percent": -1},
		):
			with self.subTest(line=line):
				before = frappe.db.count("Deal")
				with self.assertRaises(frappe.ValidationError):
					make_deal(items=[{"catalog_item": item.name, "qty": 1, **line}])
				self.assertEqual(frappe.db.count("Deal"), before)

	def test_disabled_item_cannot_be_added_but_existing_line_stays(self):
		item = make_item()
		deal = make_deal(items=[{"catalog_item": item.name, "qty": 1}])
		item.reload()
		item.disabled = 1
		item.save()
		deal.reload()
		deal.notes = "still editable"
		deal.save()
		deal.append("items", {"catalog_item": item.name, "qty": 1})
		with self.assertRaises(frappe.ValidationError):
			deal.save()
		with self.assertRaises(frappe.ValidationError):
			make_deal(items=[{"catalog_item": item.name, "qty": 1}])

	def test_contact_must_belong_to_company(self):
		company, other = make_company(), make_company()
		contact = make_contact(company.name)
		self.assertEqual(make_deal(company.name, contact=contact.name).contact, contact.name)
		with self.assertRaises(frappe.ValidationError):
			make_deal(other.name, contact=contact.name)
		with self.assertRaises(frappe.ValidationError):
			make_deal(company.name, contact=make_contact(None).name)
