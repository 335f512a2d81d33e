"""Russian UI: every translatable string of the app has a Russian entry in
crm_app/translations/ru.csv, with the same placeholders."""

import csv

from tests import i18n


def test_extractor_finds_each_kind_of_string():
	messages = i18n.app_messages()
	for expected in (
		"Request Received",  # workflow state (pipeline seed) and Select option
		"Issue Invoice",  # workflow action
		"Client Company",  # DocType name
		"Contact Agrees to SMS",  # field label
		"Invoice for payment No. {0} dated {1}",  # Jinja in a print format
		"Sales Funnel",  # report name
		"Payment reminder: {0}",  # letter template subject
	):
		assert expected in messages, expected
	assert not any(m.startswith("DEAL-.") for m in messages)


def test_extractor_reads_python_javascript_and_jinja():
	assert sorted(i18n.from_python('_("A {0}").format(x); frappe._("no"); _lt("Lazy")')) == ["A {0}", "Lazy"]
	assert i18n.from_javascript("__('It\\'s'); frappe.__(\"no\"); __(`Tpl`)") == ["It's", "Tpl"]
	assert i18n.from_template('{{ _("Total") }} {{ x._("no") }} {{ _(\'VAT {0}%\').format(r) }}') == [
		"Total",
		"VAT {0}%",
	]


def test_every_string_has_russian():
	assert i18n.problems(i18n.app_messages(), i18n.translations()) == []


def test_translation_file_is_well_formed():
	with i18n.RU_CSV.open(newline="") as f:
		rows = [row for row in csv.reader(f) if row]
	sources = [row[0] for row in rows]
	assert len(sources) == len(set(sources)), "duplicate source strings"
	assert all(len(row) in (2, 3) and row[1].strip() for row in rows)
	assert i18n.problems({"VAT {0}%": {"x"}}, {"VAT {0}%": "НДС"}) != []
