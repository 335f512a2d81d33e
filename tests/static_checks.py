"""Static checks of the app against Frappe's rules, without Frappe.

Each `check_*` function returns a list of problems (strings); an empty list
means the check passed. The test modules call them; they can also be run as
`python -m tests.static_checks` for a quick report.
"""

import ast
import csv
import json
import os
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "crm_app"
SHARED = Path(os.environ.get("CRM_APP_SHARED_DIR", ROOT.parent / "shared"))
REFERENCE = SHARED / "reference"

DATA_FIELDTYPES = {
	"Currency", "Int", "Long Int", "Float", "Percent", "Check", "Small Text", "Long Text", "Code",
	"Text Editor", "Markdown Editor", "HTML Editor", "Date", "Datetime", "Time", "Text", "Data", "Link",
	"Dynamic Link", "Password", "Select", "Rating", "Read Only", "Attach", "Attach Image", "Signature",
	"Color", "Barcode", "Geolocation", "Duration", "Icon", "Phone", "Autocomplete", "JSON",
}  # fmt: skip
NO_VALUE_FIELDTYPES = {
	"Section Break", "Column Break", "Tab Break", "HTML", "Table", "Table MultiSelect", "Button",
	"Image", "Fold", "Heading",
}  # fmt: skip
DATA_FIELD_OPTIONS = {"", "Email", "Name", "Phone", "URL", "Barcode", "IBAN"}
STANDARD_COLUMNS = {"name", "owner", "creation", "modified", "modified_by", "docstatus", "idx"}
RESERVED_FIELDNAMES = STANDARD_COLUMNS | {"doctype", "parent", "parentfield", "parenttype"}
# Roles that Frappe (or ERPNext) ships and roles this app creates on install.
KNOWN_ROLES = {
	"Administrator", "System Manager", "Guest", "All", "Desk User", "Sales User", "Sales Manager",
	"Accounts User", "Accounts Manager", "Stock User", "Stock Manager",
}  # fmt: skip
FIELDNAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


def scrub(name: str) -> str:
	return name.replace(" ", "_").replace("-", "_").lower()


# --- loading -------------------------------------------------------------------------------


def modules() -> list[str]:
	return [line.strip() for line in (APP / "modules.txt").read_text().splitlines() if line.strip()]


def module_folders() -> dict[str, Path]:
	return {module: APP / scrub(module) for module in modules()}


@cache
def app_doctypes() -> dict[str, dict]:
	doctypes = {}
	for folder in module_folders().values():
		for path in sorted((folder / "doctype").glob("*/*.json")):
			data = json.loads(path.read_text())
			if data.get("doctype") == "DocType":
				data["__path"] = str(path)
				doctypes[data["name"]] = data
	return doctypes


def reference_available() -> bool:
	return (REFERENCE / "upstream-doctypes.tsv").is_file() and (REFERENCE / "upstream-modules.tsv").is_file()


@cache
def upstream_doctypes() -> dict[str, dict]:
	with open(REFERENCE / "upstream-doctypes.tsv", newline="") as f:
		return {row["doctype"]: row for row in csv.DictReader(f, delimiter="\t")}


@cache
def upstream_modules() -> set[str]:
	with open(REFERENCE / "upstream-modules.tsv", newline="") as f:
		return {row["module"] for row in csv.DictReader(f, delimiter="\t")}


def known_doctype(name: str) -> bool:
	"""In the app or upstream. Without the upstream list (no ../shared/reference) any
	name outside the app passes: only that part of the check is skipped."""
	if name in app_doctypes():
		return True
	return name in upstream_doctypes() if reference_available() else True


def is_table(name: str) -> bool:
	if name in app_doctypes():
		return bool(app_doctypes()[name].get("istable"))
	return reference_available() and upstream_doctypes().get(name, {}).get("istable") == "1"


# --- DocType JSON ----------------------------------------------------------------------------


def check_doctype(doc: dict) -> list[str]:
	name = doc["name"]
	problems: list[str] = []
	p = problems.append
	path = Path(doc["__path"])
	if path.stem != scrub(name) or path.parent.name != scrub(name):
		p(f"{name}: file {path} should be {scrub(name)}/{scrub(name)}.json")
	if doc.get("module") not in modules():
		p(f"{name}: module {doc.get('module')!r} is not in modules.txt")
	if not (path.parent / "__init__.py").exists():
		p(f"{name}: folder has no __init__.py")
	if not (path.parent / f"{scrub(name)}.py").exists():
		p(f"{name}: no controller {scrub(name)}.py")

	fields = doc.get("fields", [])
	by_name: dict[str, dict] = {}
	for df in fields:
		fieldname, fieldtype = df.get("fieldname", ""), df.get("fieldtype", "")
		if not FIELDNAME_RE.match(fieldname):
			p(f"{name}: bad fieldname {fieldname!r}")
		if fieldname in RESERVED_FIELDNAMES:
			p(f"{name}: fieldname {fieldname!r} is reserved")
		if fieldname in by_name:
			p(f"{name}: duplicate fieldname {fieldname!r}")
		by_name[fieldname] = df
		if fieldtype not in DATA_FIELDTYPES | NO_VALUE_FIELDTYPES:
			p(f"{name}.{fieldname}: unknown fieldtype {fieldtype!r}")
		if fieldtype in DATA_FIELDTYPES | {"Table", "Table MultiSelect"} and not df.get("label"):
			p(f"{name}.{fieldname}: a value field needs a label")
	if doc.get("field_order") != [df.get("fieldname") for df in fields]:
		p(f"{name}: field_order does not list the fields in order")

	for df in fields:
		fieldname, fieldtype, options = df["fieldname"], df["fieldtype"], (df.get("options") or "")
		where = f"{name}.{fieldname}"
		if fieldtype in ("Link", "Table", "Table MultiSelect"):
			if not options:
				p(f"{where}: {fieldtype} without a target DocType")
			elif not known_doctype(options):
				p(f"{where}: target DocType {options!r} is neither in the app nor upstream")
			elif (
				fieldtype != "Link"
				and (options in app_doctypes() or reference_available())
				and not is_table(options)
			):
				p(f"{where}: {options!r} is not a child table")
			elif fieldtype == "Link" and is_table(options):
				p(f"{where}: links to the child table {options!r}")
		if fieldtype == "Select" and not options.strip():
			p(f"{where}: Select without options")
		if fieldtype == "Select" and df.get("default") and df["default"] not in options.split("\n"):
			p(f"{where}: default {df['default']!r} is not an option")
		if fieldtype == "Data" and options not in DATA_FIELD_OPTIONS:
			p(f"{where}: Data option {options!r} is not one Frappe knows")
		if fieldtype == "Currency" and options and ":" not in options:
			parent_fields = {f["fieldname"] for d in parents_of(name) for f in d.get("fields", [])}
			if options not in by_name and options not in parent_fields:
				p(f"{where}: currency field {options!r} does not exist")
		if fieldtype == "Check" and df.get("default") not in (None, "0", "1"):
			p(f"{where}: Check default must be '0' or '1'")
		if fetch := df.get("fetch_from"):
			link = fetch.split(".")[0]
			if by_name.get(link, {}).get("fieldtype") not in ("Link", "Dynamic Link"):
				p(f"{where}: fetch_from {fetch!r} does not start at a Link field")
		if df.get("unique") and fieldtype not in DATA_FIELDTYPES:
			p(f"{where}: unique on a field without a value")

	for key in ("title_field", "image_field", "sender_field", "subject_field"):
		if doc.get(key) and doc[key] not in by_name:
			p(f"{name}: {key} {doc[key]!r} is not a field")
	for fieldname in filter(None, (doc.get("search_fields") or "").split(",")):
		if fieldname.strip() not in by_name:
			p(f"{name}: search field {fieldname!r} is not a field")
	if not doc.get("issingle") and not doc.get("istable"):
		if not doc.get("sort_field"):
			p(f"{name}: no explicit sort_field")
		elif doc["sort_field"] not in by_name and doc["sort_field"] not in STANDARD_COLUMNS:
			p(f"{name}: sort_field {doc['sort_field']!r} is not a column")
	autoname = doc.get("autoname") or ""
	if (
		autoname.startswith("naming_series:")
		and by_name.get("naming_series", {}).get("fieldtype") != "Select"
	):
		p(f"{name}: autoname by naming series without a naming_series Select")
	if autoname.startswith("field:"):
		target = by_name.get(autoname[6:])
		if not target or not target.get("unique"):
			p(f"{name}: autoname {autoname!r} needs an existing unique field")

	if doc.get("istable"):
		if doc.get("permissions"):
			p(f"{name}: a child table has no permissions of its own")
	elif not doc.get("permissions"):
		p(f"{name}: no permissions: nobody but Administrator could use it")
	for perm in doc.get("permissions", []):
		if perm.get("role") not in KNOWN_ROLES:
			p(f"{name}: permission for unknown role {perm.get('role')!r}")
		if not perm.get("read") and any(perm.get(k) for k in ("write", "create", "delete")):
			p(f"{name}: role {perm.get('role')} may write without read")
	return problems


def parents_of(child: str) -> list[dict]:
	return [
		d
		for d in app_doctypes().values()
		if any(f.get("options") == child and f["fieldtype"] == "Table" for f in d.get("fields", []))
	]


def check_upstream_clashes() -> list[str]:
	problems = []
	upstream = upstream_doctypes()
	for name in app_doctypes():
		if name in upstream:
			problems.append(f"DocType {name!r} clashes with {upstream[name]['app']}'s")
	for module in modules():
		if module in upstream_modules():
			problems.append(f"module {module!r} clashes with an upstream module")
	return problems


# --- Python sources --------------------------------------------------------------------------


def python_files() -> list[Path]:
	return sorted(p for p in APP.rglob("*.py") if "__pycache__" not in p.parts)


def module_path(dotted: str) -> Path | None:
	parts = dotted.split(".")
	for candidate in (ROOT.joinpath(*parts).with_suffix(".py"), ROOT.joinpath(*parts, "__init__.py")):
		if candidate.exists():
			return candidate
	return None


def defined_names(path: Path) -> set[str]:
	tree = ast.parse(path.read_text())
	names = set()
	for node in tree.body:
		if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
			names.add(node.name)
		elif isinstance(node, ast.Assign):
			names.update(t.id for t in node.targets if isinstance(t, ast.Name))
		elif isinstance(node, ast.ImportFrom):
			names.update(a.asname or a.name for a in node.names)
	return names


def resolve(dotted: str) -> str | None:
	"""None when `dotted` names an attribute defined in the app, else the problem."""
	module, _, attr = dotted.rpartition(".")
	path = module_path(module)
	if path is None:
		return f"{dotted}: module {module} not found"
	if attr not in defined_names(path):
		return f"{dotted}: {attr} is not defined in {path.relative_to(ROOT)}"
	return None


def hook_values() -> dict:
	tree = ast.parse((APP / "hooks.py").read_text())
	values = {}
	for node in tree.body:
		if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
			values[node.targets[0].id] = ast.literal_eval(node.value)
	return values


def dotted_strings(value) -> list[str]:
	if isinstance(value, str):
		return [value] if value.startswith("crm_app.") else []
	if isinstance(value, dict):
		return [s for v in value.values() for s in dotted_strings(v)]
	if isinstance(value, list | tuple):
		return [s for v in value for s in dotted_strings(v)]
	return []


def asset_strings(value) -> list[str]:
	"""The app's asset paths (`assets/crm_app/...`, served from crm_app/public/) in a hook value."""
	if isinstance(value, str):
		return [value] if value.startswith("assets/crm_app/") else []
	if isinstance(value, dict):
		value = list(value.values())
	if isinstance(value, list | tuple):
		return [a for v in value for a in asset_strings(v)]
	return []


def check_hooks() -> list[str]:
	problems = []
	hooks = hook_values()
	if hooks.get("app_name") != "crm_app":
		problems.append("hooks.app_name must be crm_app")
	if hooks.get("required_apps") != ["frappe"]:
		problems.append("required_apps must be ['frappe']: the app installs without ERPNext")
	for key, value in hooks.items():
		for dotted in dotted_strings(value):
			if problem := resolve(dotted):
				problems.append(f"hooks.{key}: {problem}")
	for key, value in hooks.items():
		for asset in asset_strings(value):
			if not (APP / "public" / asset.removeprefix("assets/crm_app/")).is_file():
				problems.append(f"hooks.{key}: {asset} is not a file under crm_app/public/")
	for key in ("permission_query_conditions", "has_permission", "doc_events", "doctype_js"):
		for doctype in hooks.get(key, {}):
			if doctype != "*" and not known_doctype(doctype):
				problems.append(f"hooks.{key}: unknown DocType {doctype!r}")
	return problems


def check_erpnext_imports() -> list[str]:
	"""Only crm_app/erpnext_integration may import erpnext."""
	problems = []
	allowed = APP / "erpnext_integration"
	for path in python_files():
		if allowed in path.parents:
			continue
		for node in ast.walk(ast.parse(path.read_text())):
			names = []
			if isinstance(node, ast.Import):
				names = [a.name for a in node.names]
			elif isinstance(node, ast.ImportFrom):
				names = [node.module or ""]
			if any(n == "erpnext" or n.startswith("erpnext.") for n in names):
				problems.append(f"{path.relative_to(ROOT)}:{node.lineno} imports erpnext")
	return problems


# The house, floor by floor (the README's "Code layout"): a package imports only packages on
# lower floors and its own modules; packages on one floor do not import each other. What is
# on no floor (the DocType module, install, hooks, patches, benchmarks, tests) stands on top.
FLOORS = {
	"crm_app.compat": 0,
	"crm_app.settings": 0,
	"crm_app.translate": 0,
	"crm_app.catalog": 1,
	"crm_app.clients": 1,
	"crm_app.deals": 1,
	"crm_app.permissions": 1,
	"crm_app.pipeline": 2,
	"crm_app.analytics": 3,
	"crm_app.erpnext_integration": 3,
	"crm_app.documents": 4,
}


def floor_of(dotted: str) -> tuple[str | None, int | None]:
	"""The package (as FLOORS names it) and floor of a dotted module path; (None, None) for
	what stands on top or outside the app. The app's own `__init__` (its version) is shared."""
	if dotted == "crm_app":
		return "crm_app", 0
	for package, floor in FLOORS.items():
		if dotted == package or dotted.startswith(package + "."):
			return package, floor
	return None, None


def imported_modules(path: Path) -> list[tuple[int, str]]:
	"""(line, dotted module) of every import of the app in a file, those inside functions
	too; `from crm_app.x import y` counts as crm_app.x.y when that is a module."""
	found = []
	for node in ast.walk(ast.parse(path.read_text())):
		if isinstance(node, ast.Import):
			found += [(node.lineno, a.name) for a in node.names if a.name.startswith("crm_app")]
		elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("crm_app"):
			for alias in node.names:
				sub = f"{node.module}.{alias.name}"
				found.append((node.lineno, sub if module_path(sub) else node.module))
	return found


def check_layers() -> list[str]:
	"""Arrows one way: no import from a lower floor to a higher one or across one floor,
	and no `utils` grab-bag."""
	problems = []
	if (APP / "utils").exists():
		problems.append("crm_app/utils/ exists: each module belongs to the package of its element")
	for path in python_files():
		if "tests" in path.relative_to(APP).parts or path.name.startswith("test_"):
			continue
		dotted = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
		package, floor = floor_of(dotted)
		if package is None:
			continue
		for line, target in imported_modules(path):
			other, other_floor = floor_of(target)
			if other == package:
				continue
			if other is None or other_floor >= floor:
				problems.append(
					f"{path.relative_to(ROOT)}:{line} ({package}, floor {floor}) imports {target}"
					f" ({other or 'the top'}, floor {other_floor if other else 'top'})"
				)
	return problems


STAGE_FIELD = "stage"
DIRECT_WRITES = {"db_set", "set_value", "set_single_value"}


def _names_stage(node: ast.AST) -> bool:
	if isinstance(node, ast.Constant):
		return node.value == STAGE_FIELD
	if isinstance(node, ast.Dict):
		return any(isinstance(k, ast.Constant) and k.value == STAGE_FIELD for k in node.keys)
	if isinstance(node, ast.Attribute):
		return node.attr == STAGE_FIELD
	return False


def check_stage_written_by_save_only() -> list[str]:
	"""A deal's stage changes only through a save of the Deal (pipeline.events), so that
	every consequence follows: no db_set / set_value of `stage`, no query-builder
	`.set(<table>.stage, …)`, no SQL UPDATE naming it, outside tests and benchmarks (which
	place deals for measuring) and patches."""
	problems = []
	skipped = {"tests", "benchmarks", "patches"}
	for path in python_files():
		if skipped & set(path.relative_to(APP).parts) or path.name.startswith("test_"):
			continue
		for node in ast.walk(ast.parse(path.read_text())):
			if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
				continue
			args = [*node.args, *(k.value for k in node.keywords)]
			direct = node.func.attr in DIRECT_WRITES and any(_names_stage(a) for a in args)
			query_builder = node.func.attr == "set" and node.args and isinstance(node.args[0], ast.Attribute)
			query_builder = query_builder and _names_stage(node.args[0])
			sql = node.func.attr == "sql" and any(
				isinstance(a, ast.Constant)
				and isinstance(a.value, str)
				and "update" in a.value.lower()
				and STAGE_FIELD in a.value
				for a in node.args
			)
			if direct or query_builder or sql:
				problems.append(f"{path.relative_to(ROOT)}:{node.lineno} writes the stage directly")
	return problems


MESSAGE_FUNCS = {"throw", "msgprint"}


def _is_translated(node: ast.AST) -> bool:
	"""A `_()` call, `_(...).format(...)`, a name/attribute (already built), or str(e)."""
	if isinstance(node, ast.Call):
		func = node.func
		if isinstance(func, ast.Name) and func.id in ("_", "str"):
			return True
		if isinstance(func, ast.Attribute) and func.attr == "format":
			return _is_translated(func.value)
		if isinstance(func, ast.Attribute) and func.attr == "_":
			return True
		return False
	if isinstance(node, ast.BoolOp | ast.IfExp):
		parts = node.values if isinstance(node, ast.BoolOp) else [node.body, node.orelse]
		return all(_is_translated(part) for part in parts)
	return isinstance(node, ast.Name | ast.Attribute | ast.Subscript)


def check_translated_messages() -> list[str]:
	"""Every frappe.throw / frappe.msgprint message (and title) goes through _()."""
	problems = []
	for path in python_files():
		if "tests" in path.parts:
			continue
		for node in ast.walk(ast.parse(path.read_text())):
			if not (
				isinstance(node, ast.Call)
				and isinstance(node.func, ast.Attribute)
				and node.func.attr in MESSAGE_FUNCS
				and isinstance(node.func.value, ast.Name)
				and node.func.value.id == "frappe"
			):
				continue
			args = list(node.args[:1]) + [k.value for k in node.keywords if k.arg in ("msg", "title")]
			for arg in args:
				if not _is_translated(arg):
					problems.append(f"{path.relative_to(ROOT)}:{node.lineno} untranslated message")
	return problems


def check_dashboards() -> list[str]:
	"""`<doctype>_dashboard.py`: the link fieldname exists on every listed DocType."""
	problems = []
	for name, doc in app_doctypes().items():
		path = Path(doc["__path"]).with_name(f"{scrub(name)}_dashboard.py")
		if not path.exists():
			continue
		tree = ast.parse(path.read_text())
		ret = next(n for n in ast.walk(tree) if isinstance(n, ast.Return))
		data = _literal_with_calls(ret.value)
		for group in data.get("transactions", []):
			for target in group["items"]:
				fieldname = data.get("non_standard_fieldnames", {}).get(target, data["fieldname"])
				target_doc = app_doctypes().get(target)
				if target_doc is None:
					continue  # upstream DocType: its fields are not known here
				fieldnames = {f["fieldname"] for f in target_doc["fields"]}
				if fieldname not in fieldnames:
					problems.append(f"{path.name}: {target} has no field {fieldname!r}")
				elif (
					next(f for f in target_doc["fields"] if f["fieldname"] == fieldname).get("options")
					!= name
				):
					problems.append(f"{path.name}: {target}.{fieldname} does not link to {name}")
	return problems


def _literal_with_calls(node):
	"""literal_eval that reads `_("x")` as "x"."""
	if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_":
		return ast.literal_eval(node.args[0])
	if isinstance(node, ast.Dict):
		return {
			_literal_with_calls(k): _literal_with_calls(v)
			for k, v in zip(node.keys, node.values, strict=True)
		}
	if isinstance(node, ast.List):
		return [_literal_with_calls(e) for e in node.elts]
	return ast.literal_eval(node)


def check_form_scripts() -> list[str]:
	"""A DocType's .js registers events for that DocType (or its child tables) only."""
	problems = []
	for name, doc in app_doctypes().items():
		path = Path(doc["__path"]).with_suffix(".js")
		if not path.exists():
			continue
		children = {f["options"] for f in doc["fields"] if f["fieldtype"] == "Table"}
		for target in re.findall(r"frappe\.ui\.form\.on\(\s*[\"']([^\"']+)[\"']", path.read_text()):
			if target != name and target not in children:
				problems.append(f"{path.name}: registers events for {target!r}")
		for method in re.findall(r"[\"'](crm_app\.[\w.]+)[\"']", path.read_text()):
			if problem := resolve(method):
				problems.append(f"{path.name}: {problem}")
	return problems


def check_fixtures() -> list[str]:
	problems = []
	hooks = hook_values()
	exported = set()
	for entry in hooks.get("fixtures", []):
		exported.add(entry if isinstance(entry, str) else entry["dt"])
	for path in sorted((APP / "fixtures").glob("*.json")):
		try:
			records = json.loads(path.read_text())
		except json.JSONDecodeError as e:
			problems.append(f"{path.name}: not JSON ({e})")
			continue
		if not isinstance(records, list) or not all(
			isinstance(r, dict) and r.get("doctype") for r in records
		):
			problems.append(f"{path.name}: must be a list of records with a doctype")
			continue
		for record in records:
			if record["doctype"] not in exported:
				problems.append(f"{path.name}: {record['doctype']} is not listed in hooks.fixtures")
	return problems


def check_workflow_seeds() -> list[str]:
	"""Workflow seeds: the subject DocType declares its state field as a Select
	whose options are the states, and every transition joins known states."""
	problems = []
	for path in sorted(APP.rglob("*.json")):
		if "doctype" in path.parts:
			continue
		data = json.loads(path.read_text())
		if not isinstance(data, dict) or data.get("doctype") != "Workflow":
			continue
		name = path.name
		subject = app_doctypes().get(data["document_type"])
		if subject is None:
			problems.append(f"{name}: document_type {data['document_type']!r} is not an app DocType")
			continue
		states = [s["state"] for s in data["states"]]
		field = next((f for f in subject["fields"] if f["fieldname"] == data["workflow_state_field"]), None)
		if field is None or field["fieldtype"] != "Select":
			problems.append(
				f"{name}: {subject['name']} must declare {data['workflow_state_field']} as a Select"
			)
		elif field["options"].split("\n") != states:
			problems.append(f"{name}: the options of {field['fieldname']} differ from the states")
		elif field.get("default") != states[0]:
			problems.append(f"{name}: {field['fieldname']} must default to the first state")
		for t in data["transitions"]:
			if t["state"] not in states or t["next_state"] not in states:
				problems.append(f"{name}: transition {t['action']} joins unknown states")
			for role in t["allowed"] + t.get("erpnext_allowed", []):
				if role not in KNOWN_ROLES:
					problems.append(f"{name}: transition {t['action']} for unknown role {role!r}")
		for s in data["states"]:
			if s.get("doc_status") not in ("0", "1", "2"):
				problems.append(f"{name}: state {s['state']} has doc_status {s.get('doc_status')!r}")
	return problems


def check_reports() -> list[str]:
	"""Standard reports: JSON, a controller with execute() for script reports, known roles."""
	problems = []
	for folder in module_folders().values():
		for path in sorted((folder / "report").glob("*/*.json")):
			data = json.loads(path.read_text())
			name = data.get("name", path.stem)
			if path.stem != scrub(name):
				problems.append(f"report {name}: file name should be {scrub(name)}.json")
			if data.get("is_standard") != "Yes" or data.get("module") not in modules():
				problems.append(f"report {name}: must be standard and in the app's module")
			if not known_doctype(data.get("ref_doctype", "")):
				problems.append(f"report {name}: unknown ref_doctype")
			for role in data.get("roles", []):
				if role["role"] not in KNOWN_ROLES:
					problems.append(f"report {name}: unknown role {role['role']!r}")
			if data.get("report_type") == "Script Report":
				controller = path.with_suffix(".py")
				if not controller.exists() or "execute" not in defined_names(controller):
					problems.append(f"report {name}: no execute() in {controller.name}")
	return problems


def _records(kind: str) -> dict[str, dict]:
	out = {}
	for folder in module_folders().values():
		for path in sorted((folder / scrub(kind)).glob("*/*.json")):
			data = json.loads(path.read_text())
			data["__path"] = str(path)
			out[data["name"]] = data
	return out


def check_desk_records() -> list[str]:
	"""Number cards, dashboard charts and workspaces: standard, in the module, and
	pointing at things that exist."""
	problems = []
	cards, charts = _records("Number Card"), _records("Dashboard Chart")
	reports = _records("Report")
	for kind, records in (
		("Number Card", cards),
		("Dashboard Chart", charts),
		("Workspace", _records("Workspace")),
	):
		for name, data in records.items():
			if Path(data["__path"]).stem != scrub(name) or data.get("doctype") != kind:
				problems.append(f"{kind} {name}: file and doctype must match the name")
			if data.get("module") not in modules():
				problems.append(f"{kind} {name}: not in the app's module")
			if kind != "Workspace" and not data.get("is_standard"):
				problems.append(f"{kind} {name}: must be standard")
			if data.get("document_type") and not known_doctype(data["document_type"]):
				problems.append(f"{kind} {name}: unknown DocType {data['document_type']!r}")
			if data.get("method") and (problem := resolve(data["method"])):
				problems.append(f"{kind} {name}: {problem}")
			for key in ("aggregate_function_based_on", "group_by_based_on"):
				fieldname = data.get(key)
				doc = app_doctypes().get(data.get("document_type"))
				if fieldname and doc and fieldname not in {f["fieldname"] for f in doc["fields"]}:
					problems.append(f"{kind} {name}: {key} {fieldname!r} is not a field")
	for name, ws in _records("Workspace").items():
		blocks = json.loads(ws.get("content") or "[]")
		for card in ws.get("number_cards", []):
			if card["number_card_name"] not in cards:
				problems.append(f"Workspace {name}: unknown number card {card['number_card_name']!r}")
		for chart in ws.get("charts", []):
			if chart["chart_name"] not in charts:
				problems.append(f"Workspace {name}: unknown chart {chart['chart_name']!r}")
		targets = [(sc["type"], sc["link_to"]) for sc in ws.get("shortcuts", [])]
		targets += [
			(link["link_type"], link["link_to"]) for link in ws.get("links", []) if link["type"] == "Link"
		]
		for link_type, target in targets:
			if link_type == "DocType" and not known_doctype(target):
				problems.append(f"Workspace {name}: link to unknown DocType {target!r}")
			if link_type == "Report" and target not in reports:
				problems.append(f"Workspace {name}: link to unknown report {target!r}")
		names = {
			"shortcut": {s["label"] for s in ws.get("shortcuts", [])},
			"number_card": {c["number_card_name"] for c in ws.get("number_cards", [])},
			"chart": {c["chart_name"] for c in ws.get("charts", [])},
			"card": {link["label"] for link in ws.get("links", []) if link["type"] == "Card Break"},
		}
		keys = {
			"shortcut": "shortcut_name",
			"number_card": "number_card_name",
			"chart": "chart_name",
			"card": "card_name",
		}
		for block in blocks:
			kind = block["type"]
			if kind in keys and block["data"][keys[kind]] not in names[kind]:
				problems.append(
					f"Workspace {name}: block {block['id']} names unknown {kind} {block['data'][keys[kind]]!r}"
				)
	return problems


def check_print_formats() -> list[str]:
	"""Standard Jinja print formats on app DocTypes that compile."""
	from jinja2 import Environment, TemplateSyntaxError

	problems = []
	for name, data in _records("Print Format").items():
		if data.get("standard") != "Yes" or data.get("module") not in modules():
			problems.append(f"Print Format {name}: must be standard and in the app's module")
		if data.get("doc_type") not in app_doctypes():
			problems.append(f"Print Format {name}: doc_type {data.get('doc_type')!r} is not an app DocType")
		if data.get("print_format_type") == "Jinja":
			try:
				Environment().parse(data.get("html") or "")
			except TemplateSyntaxError as e:
				problems.append(f"Print Format {name}: Jinja error {e}")
	return problems


def check_translations() -> list[str]:
	"""translations/*.csv: two or three columns a row, placeholders kept."""
	problems = []
	for path in sorted((APP / "translations").glob("*.csv")):
		with open(path, newline="") as f:
			for number, row in enumerate(csv.reader(f), start=1):
				if len(row) not in (2, 3) or not row[0] or not row[1]:
					problems.append(f"{path.name}:{number}: needs source and translation")
				elif set(re.findall(r"\{\d\}", row[0])) != set(re.findall(r"\{\d\}", row[1])):
					problems.append(f"{path.name}:{number}: placeholders differ")
	return problems


def check_notifications() -> list[str]:
	"""Standard notifications: a controller module and a message file beside the JSON
	(Frappe reads the message from the file), templates that compile."""
	from jinja2 import Environment, TemplateSyntaxError

	problems = []
	for name, data in _records("Notification").items():
		path = Path(data["__path"])
		if not data.get("is_standard") or data.get("module") not in modules():
			problems.append(f"Notification {name}: must be standard and in the app's module")
		if data.get("document_type") not in app_doctypes():
			problems.append(f"Notification {name}: unknown document_type {data.get('document_type')!r}")
		if not path.with_suffix(".py").exists():
			problems.append(f"Notification {name}: no {path.stem}.py beside it")
		message = path.with_suffix(".html" if data.get("message_type") == "HTML" else ".md")
		if not message.exists():
			problems.append(f"Notification {name}: no message file {message.name}")
		for text in (data.get("subject") or "", message.read_text() if message.exists() else ""):
			try:
				Environment().parse(text)
			except TemplateSyntaxError as e:
				problems.append(f"Notification {name}: Jinja error {e}")
		fields = {f["fieldname"] for f in app_doctypes().get(data.get("document_type"), {}).get("fields", [])}
		if data.get("value_changed") and data["value_changed"] not in fields:
			problems.append(f"Notification {name}: value_changed {data['value_changed']!r} is not a field")
		for recipient in data.get("recipients", []):
			field = recipient.get("receiver_by_document_field")
			if field and field not in fields | {"owner"}:
				problems.append(f"Notification {name}: recipient field {field!r} is not a field")
	for template in json.loads((APP / "documents" / "email_templates.json").read_text()):
		for text in (template["subject"], template["response"]):
			try:
				Environment().parse(text)
			except TemplateSyntaxError as e:
				problems.append(f"Email Template {template['name']}: Jinja error {e}")
	return problems


def check_web_forms() -> list[str]:
	"""Standard web forms on app DocTypes, whose fields exist there."""
	problems = []
	for name, data in _records("Web Form").items():
		doc = app_doctypes().get(data.get("doc_type"))
		if doc is None:
			problems.append(f"Web Form {name}: doc_type {data.get('doc_type')!r} is not an app DocType")
			continue
		if not data.get("is_standard") or data.get("module") not in modules():
			problems.append(f"Web Form {name}: must be standard and in the app's module")
		fields = {f["fieldname"] for f in doc["fields"]}
		for field in data.get("web_form_fields", []):
			if field["fieldname"] not in fields:
				problems.append(f"Web Form {name}: field {field['fieldname']!r} is not on {doc['name']}")
		if not Path(data["__path"]).with_suffix(".py").exists():
			problems.append(f"Web Form {name}: no controller module beside it")
	return problems


ALL_CHECKS = (
	check_web_forms,
	check_notifications,
	check_print_formats,
	check_translations,
	check_desk_records,
	check_workflow_seeds,
	check_reports,
	check_hooks,
	check_erpnext_imports,
	check_layers,
	check_stage_written_by_save_only,
	check_translated_messages,
	check_dashboards,
	check_form_scripts,
	check_fixtures,
)


if __name__ == "__main__":
	found = [problem for check in ALL_CHECKS for problem in check()]
	for doc in app_doctypes().values():
		found.extend(check_doctype(doc))
	if reference_available():
		found.extend(check_upstream_clashes())
	print("\n".join(found) or "no problems")
