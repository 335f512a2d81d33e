"""Units of measure as Russian documents print them: the code by OKEI (ОКЕИ, OK 015-94,
the All-Russian Classifier of Units of Measurement) and the short Russian name.

CRM App Settings › Units (child DocType CRM Unit: uom, okei_code, short_name_ru) holds
the table; the site starts with DEFAULT_UNITS. Pure Python: the print contexts pass
the table's rows as dicts.
"""

# (uom as catalog items and deal lines write it, OKEI code, short Russian name)
DEFAULT_UNITS = (
	("Nos", "796", "шт"),
	("Hour", "356", "ч"),
	("Unit", "876", "усл. ед"),
	("Kg", "166", "кг"),
	("Meter", "006", "м"),
)


def default_rows() -> list[dict]:
	"""DEFAULT_UNITS as CRM Unit rows."""
	return [{"uom": uom, "okei_code": code, "short_name_ru": short} for uom, code, short in DEFAULT_UNITS]


def find_unit(uom: str | None, units: list[dict]) -> dict | None:
	"""The row of `units` for a line's `uom`: matched on the UOM name, else on the Russian
	short name or the OKEI code (a user may type "шт" or "796"); case and surrounding
	spaces ignored. None when no row matches."""
	key = (uom or "").strip().casefold()
	if not key:
		return None
	for field in ("uom", "short_name_ru", "okei_code"):
		for row in units:
			if (row.get(field) or "").strip().casefold() == key:
				return row
	return None


def unit_text(uom: str | None, units: list[dict], lang: str = "ru") -> dict:
	"""How a line's unit prints: {"code": OKEI code or "", "name": the short Russian
	name in Russian prints, the UOM itself otherwise (and where the table has no
	Russian name)}."""
	row = find_unit(uom, units) or {}
	russian = (lang or "ru").startswith("ru")
	name = (row.get("short_name_ru") if russian else None) or row.get("uom") or uom or ""
	return {"code": row.get("okei_code") or "", "name": name}
