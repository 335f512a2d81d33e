"""A pure module of the app loaded by its path, for the layers that run as standalone
scripts without Frappe and without the app installed (the UI and concurrency layers): they
send what the app's own code writes, e.g. a 1CClientBankExchange statement."""

import importlib.util
import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[1]


def load(relative_path: str):
	"""The module at `relative_path` inside the app package (e.g.
	"documents/bank_exchange.py"); it may import only the standard library."""
	path = APP / relative_path
	name = "crm_app_standalone_" + path.stem
	if name in sys.modules:
		return sys.modules[name]
	spec = importlib.util.spec_from_file_location(name, path)
	module = importlib.util.module_from_spec(spec)
	sys.modules[name] = module  # dataclasses look their module up here
	spec.loader.exec_module(module)
	return module
