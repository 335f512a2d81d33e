"""Countries of origin as the transfer document prints them: the digital code by OKSM
(ОКСМ, the All-Russian Classifier of Countries of the World, which takes ISO 3166-1's
numeric codes) and the short name in the print language.

Codes from pycountry (ISO 3166-1), names from Babel's CLDR data (Frappe's own
dependency). Pure Python.
"""


def country_for_print(alpha_2: str | None, lang: str = "ru") -> dict:
	"""{"code": the 3-digit numeric code, "name": the short name in `lang`} for an ISO
	3166-1 alpha-2 code (any case); empty strings for an empty or unknown code."""
	import pycountry
	from babel import Locale, UnknownLocaleError

	code = (alpha_2 or "").strip().upper()
	country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
	if not country:
		return {"code": "", "name": ""}
	try:
		names = Locale.parse((lang or "ru").replace("-", "_")).territories
	except (ValueError, UnknownLocaleError):
		names = Locale("en").territories
	return {"code": country.numeric, "name": names.get(code) or country.name}
