"""The app's translatable strings, found without Frappe, as Frappe's extractor and
desk find them: `_()` / `_lt()` in Python, `__()` in JavaScript, `_()` in Jinja
(HTML files and the templates kept in JSON: print formats, notifications, letter
templates), and the names the desk translates at runtime: DocTypes, modules,
field labels, descriptions and Select options, roles, workflow states and actions,
reports, web form, workspace, number cards, charts and custom field labels.

`python -m tests.i18n` lists the strings that `crm_app/translations/ru.csv` lacks.
"""

import ast
import csv
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "crm_app"
RU_CSV = APP / "translations" / "ru.csv"

# Frappe's own pattern for `_("...")` in templates and JavaScript (frappe.gettext).
JINJA_PATTERN = re.compile(
	r"(?<![\w.])_\(\s*([\"']{1,3})(?P<message>((?!\1).)*)\1"
	r"(\s*,\s*context\s*=\s*([\"'])(?P<context>((?!\5).)*)\5)?\s*\)",
	re.DOTALL,
)
JS_PATTERN = re.compile(r"(?<![\w.])__\(\s*([\"'`])(?P<message>(\\.|(?!\1).)*)\1", re.DOTALL)
SKIP_DIRS = {"__pycache__", "node_modules", "dist"}


def is_translatable(message: str) -> bool:
	"""frappe.gettext.extractors.utils.is_translatable"""
	return bool(
		re.search("[a-zA-Z]", message)
		and not message.startswith("fa fa-")
		and not message.endswith("px")
		and not message.startswith("eval:")
	)


def source_files(*suffixes: str):
	for path in sorted(APP.rglob("*")):
		if path.suffix in suffixes and not SKIP_DIRS.intersection(path.parts) and "tests" not in path.parts:
			if not path.name.startswith("test_"):
				yield path


def from_python(code: str) -> list[str]:
	messages = []
	for node in ast.walk(ast.parse(code)):
		if (
			isinstance(node, ast.Call)
			and isinstance(node.func, ast.Name)
			and node.func.id in ("_", "_lt")
			and node.args
			and isinstance(node.args[0], ast.Constant)
			and isinstance(node.args[0].value, str)
		):
			messages.append(node.args[0].value)
	return messages


def from_template(text: str) -> list[str]:
	return [m.group("message") for m in JINJA_PATTERN.finditer(text)]


def from_javascript(code: str) -> list[str]:
	return [
		re.sub(r"\\(['\"`])", r"\1", m.group("message"))
		for m in JS_PATTERN.finditer(code)
		if "${" not in m.group("message")
	]


def json_strings(value):
	if isinstance(value, str):
		yield value
	elif isinstance(value, dict):
		for item in value.values():
			yield from json_strings(item)
	elif isinstance(value, list):
		for item in value:
			yield from json_strings(item)


def from_doctype(doc: dict) -> list[str]:
	messages = [doc["name"], doc.get("module"), doc.get("description")]
	for field in doc.get("fields", []):
		messages += [field.get("label"), field.get("description")]
		if (
			field.get("fieldtype") == "Select"
			and field.get("options")
			and field["fieldname"] != "naming_series"
		):
			messages += field["options"].split("\n")
	messages += [perm.get("role") for perm in doc.get("permissions", [])]
	return messages


def from_record(doc: dict) -> list[str]:
	"""Names the desk shows translated, for the standard records of the module."""
	doctype = doc.get("doctype")
	if doctype == "DocType":
		return from_doctype(doc)
	if doctype == "Report":
		return [doc["name"], *(c.get("label") for c in doc.get("columns", []))]
	if doctype == "Web Form":
		return [
			doc.get("title"),
			doc.get("button_label"),
			doc.get("success_title"),
			*(f.get("label") for f in doc.get("web_form_fields", [])),
		]
	if doctype == "Workspace":
		return [
			doc.get("label"),
			*(s.get("label") for s in doc.get("shortcuts", [])),
			*(link.get("label") for link in doc.get("links", [])),
			*(c.get("label") for c in doc.get("number_cards", [])),
			*(c.get("label") for c in doc.get("charts", [])),
		]
	if doctype == "Number Card":
		return [doc.get("label")]
	if doctype == "Dashboard Chart":
		return [doc.get("chart_name")]
	if doctype == "Print Format":
		return [doc.get("name")]
	return []


def from_pipeline(seed: dict) -> list[str]:
	messages = [seed.get("workflow_name")]
	messages += [state.get("state") for state in seed.get("states", [])]
	messages += [t.get("action") for t in seed.get("transitions", [])]
	return messages


def custom_field_labels(code: str) -> list[str]:
	"""Labels of the custom fields the app adds to ERPNext's DocTypes (dict literals)."""
	labels = []
	for node in ast.walk(ast.parse(code)):
		if (
			isinstance(node, ast.Call)
			and isinstance(node.func, ast.Name)
			and node.func.id == "_link"  # _link(fieldname, label, options, ...)
			and len(node.args) > 1
			and isinstance(node.args[1], ast.Constant)
		):
			labels.append(node.args[1].value)
		if isinstance(node, ast.Dict):
			for key, value in zip(node.keys, node.values, strict=True):
				if (
					isinstance(key, ast.Constant)
					and key.value in ("label", "description")
					and isinstance(value, ast.Constant)
					and isinstance(value.value, str)
				):
					labels.append(value.value)
	return labels


def app_messages() -> dict[str, set[str]]:
	"""Every translatable string, with the files it comes from."""
	found: dict[str, set[str]] = {}

	def add(messages, origin: Path):
		for message in messages:
			if message and isinstance(message, str) and is_translatable(message):
				found.setdefault(message, set()).add(str(origin.relative_to(ROOT)))

	for path in source_files(".py"):
		code = path.read_text()
		add(from_python(code), path)
		if path.name == "custom_fields.py":
			add(custom_field_labels(code), path)
	for path in source_files(".js"):
		add(from_javascript(path.read_text()), path)
	for path in source_files(".html", ".md"):
		add(from_template(path.read_text()), path)
	for path in source_files(".json"):
		data = json.loads(path.read_text())
		add([m for text in json_strings(data) for m in from_template(text)], path)
		if isinstance(data, dict):
			add(from_record(data), path)
	add(from_pipeline(json.loads((APP / "pipeline" / "deal_pipeline.json").read_text())), APP / "pipeline")
	add(["CRM App"], APP / "modules.txt")
	return found


def translations(path: Path = RU_CSV) -> dict[str, str]:
	with path.open(newline="") as f:
		return {row[0]: row[1] for row in csv.reader(f) if row and not row[0].startswith("#")}


PLACEHOLDER = re.compile(r"\{\d*\}|%\(\w+\)s|%s")


def problems(messages: dict[str, set[str]], ru: dict[str, str]) -> list[str]:
	found = []
	for message, origins in sorted(messages.items()):
		translated = ru.get(message)
		if not translated:
			found.append(f"no Russian for {message!r} ({', '.join(sorted(origins))})")
		elif sorted(PLACEHOLDER.findall(message)) != sorted(PLACEHOLDER.findall(translated)):
			found.append(f"placeholders differ: {message!r} -> {translated!r}")
	return found


if __name__ == "__main__":
	for line in problems(app_messages(), translations()):
		print(line)
