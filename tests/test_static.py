"""The static validator over every DocType, hook, fixture and script of the app."""

import pytest

from tests import static_checks as sc

DOCTYPES = sorted(sc.app_doctypes())


def test_app_has_the_issue_doctypes():
	assert {
		"Client Company",
		"Client Contact",
		"Catalog Item",
		"Deal",
		"Deal Item",
		"CRM App Settings",
	} <= set(DOCTYPES)


@pytest.mark.parametrize("doctype", DOCTYPES)
def test_doctype_follows_frappe_rules(doctype):
	assert sc.check_doctype(sc.app_doctypes()[doctype]) == []


def test_no_clash_with_upstream_names():
	if not sc.reference_available():
		pytest.skip(f"upstream name lists not found in {sc.REFERENCE}: clash checks skipped")
	assert sc.check_upstream_clashes() == []


@pytest.mark.parametrize("check", sc.ALL_CHECKS, ids=lambda c: c.__name__)
def test_app_check(check):
	assert check() == []


def test_fieldnames_fixed_by_the_issues():
	fields = {name: {f["fieldname"] for f in doc["fields"]} for name, doc in sc.app_doctypes().items()}
	assert {
		"company_name", "entity_type", "inn", "kpp", "ogrn", "country", "phone", "email", "website",
		"address", "industry", "account_manager", "notes",
	} <= fields["Client Company"]  # fmt: skip
	assert {
		"first_name", "middle_name", "last_name", "full_name", "company", "position", "email", "phone",
		"mobile", "sms_opt_in", "email_opt_in", "account_manager", "notes",
	} <= fields["Client Contact"]  # fmt: skip
	assert {
		"item_code", "item_name", "item_type", "uom", "standard_rate", "vat_rate", "vat_exempt",
		"description", "disabled",
	} <= fields["Catalog Item"]  # fmt: skip
	assert {
		"title", "client_company", "contact", "responsible", "source", "currency", "prices_include_vat",
		"items", "net_total", "vat_total", "grand_total", "expected_close_date", "next_contact_date",
		"lost_reason", "notes",
	} <= fields["Deal"]  # fmt: skip
	assert {
		"catalog_item", "item_name", "description", "qty", "uom", "rate", "discount_percent", "vat_rate",
		"amount", "vat_amount",
	} <= fields["Deal Item"]  # fmt: skip
	deal_naming = next(f for f in sc.app_doctypes()["Deal"]["fields"] if f["fieldname"] == "naming_series")
	assert deal_naming["options"].split("\n")[0] == "DEAL-.YYYY.-.#####"


# --- the validator itself catches what it should --------------------------------------------


def _doctype(**overrides):
	doc = {
		"name": "Deal",
		"module": "CRM App",
		"__path": sc.app_doctypes()["Deal"]["__path"],
		"fields": [{"fieldname": "title", "fieldtype": "Data", "label": "Title"}],
		"field_order": ["title"],
		"permissions": [{"role": "Sales User", "read": 1}],
		"sort_field": "creation",
	}
	doc.update(overrides)
	return doc


@pytest.mark.parametrize(
	"overrides, expected",
	[
		(
			{
				"fields": [{"fieldname": "a", "fieldtype": "Data", "label": "A"}] * 2,
				"field_order": ["a", "a"],
			},
			"duplicate",
		),
		(
			{"fields": [{"fieldname": "a", "fieldtype": "Textbox", "label": "A"}], "field_order": ["a"]},
			"unknown fieldtype",
		),
		(
			{
				"fields": [{"fieldname": "a", "fieldtype": "Link", "label": "A", "options": "Nowhere"}],
				"field_order": ["a"],
			},
			"neither",
		),
		(
			{
				"fields": [{"fieldname": "a", "fieldtype": "Table", "label": "A", "options": "Deal"}],
				"field_order": ["a"],
			},
			"not a child table",
		),
		({"permissions": [{"role": "Wizard", "read": 1}]}, "unknown role"),
		({"sort_field": ""}, "sort_field"),
		({"title_field": "missing"}, "title_field"),
		(
			{"fields": [{"fieldname": "name", "fieldtype": "Data", "label": "N"}], "field_order": ["name"]},
			"reserved",
		),
		(
			{
				"fields": [{"fieldname": "x", "fieldtype": "Currency", "label": "X", "options": "cur"}],
				"field_order": ["x"],
			},
			"currency field",
		),
	],
)
def test_validator_catches(overrides, expected):
	if expected == "neither" and not sc.reference_available():
		pytest.skip("an unknown Link target is recognised only with the upstream name lists")
	problems = sc.check_doctype(_doctype(**overrides))
	assert any(expected in p for p in problems), problems


def test_message_check_catches_untranslated(tmp_path, monkeypatch):
	bad = tmp_path / "crm_app" / "bad.py"
	bad.parent.mkdir()
	bad.write_text('import frappe\nfrappe.throw("Not translated")\nfrappe.throw(_("ok"))\n')
	monkeypatch.setattr(sc, "ROOT", tmp_path)
	monkeypatch.setattr(sc, "python_files", lambda: [bad])
	assert sc.check_translated_messages() == ["crm_app/bad.py:2 untranslated message"]


def test_layer_check_catches_an_arrow_back_up_and_across(tmp_path, monkeypatch):
	app = tmp_path / "crm_app"
	for package in ("pipeline", "analytics", "erpnext_integration", "clients"):
		(app / package).mkdir(parents=True)
		(app / package / "__init__.py").write_text("")
	(app / "pipeline" / "rules.py").write_text("def f():\n\tfrom crm_app.analytics import cards\n")
	(app / "analytics" / "cards.py").write_text("from crm_app.erpnext_integration.ledger import x\n")
	(app / "erpnext_integration" / "ledger.py").write_text("from crm_app.clients import requisites\n")
	(app / "clients" / "requisites.py").write_text("from crm_app.clients.contacts import y\n")
	files = sorted(app.rglob("*.py"))
	monkeypatch.setattr(sc, "ROOT", tmp_path)
	monkeypatch.setattr(sc, "APP", app)
	monkeypatch.setattr(sc, "python_files", lambda: files)
	problems = sc.check_layers()
	assert any(p.startswith("crm_app/pipeline/rules.py:2") and "analytics" in p for p in problems), problems
	assert any(p.startswith("crm_app/analytics/cards.py:1") for p in problems), problems
	assert len(problems) == 2, problems  # downward and within a package: allowed
	(app / "utils").mkdir()
	assert any("utils" in p for p in sc.check_layers())


def test_hook_check_catches_a_missing_asset(monkeypatch):
	hooks = {**sc.hook_values(), "setup_wizard_requires": "assets/crm_app/js/no_such_slide.js"}
	monkeypatch.setattr(sc, "hook_values", lambda: hooks)
	assert any("no_such_slide.js" in p for p in sc.check_hooks())
	assert sc.asset_strings({"a": ["assets/crm_app/x.js", "crm_app.y"]}) == ["assets/crm_app/x.js"]
