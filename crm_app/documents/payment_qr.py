"""The payment QR code of a Russian invoice: GOST R 56042-2014 "Standards of financial
operations. Two-dimensional barcode symbols for payments by individuals".

A Russian banking app scans it to fill a payment order. The payload is a header and
`Key=Value` pairs joined by a separator:

	ST00012|Name=ООО "Ромашка"|PersonalAcc=40702810…|BankName=…|BIC=044525225|…

- "ST" the format, "0001" its version, then the encoding flag ("1" windows-1251,
  "2" UTF-8, "3" KOI8-R; this module writes "2") and the separator character;
- the separator is "|" unless a value contains it: then the first character from
  SEPARATORS that no value contains (the standard lets the payload pick any character
  absent from its values and names it in the header);
- required, in this order: Name (≤160), PersonalAcc (20 digits), BankName (≤45),
  BIC (9 digits), CorrespAcc (≤20; "0" when the bank has none); then the optional
  PayeeINN (≤12), KPP (≤9), Sum (kopecks, ≤18 digits), Purpose (≤210).

Pure Python apart from the image: the QR symbol comes from PyQRCode (which Frappe
ships) and is drawn to PNG with Pillow (also Frappe's), so the PDF path embeds it as a
data: URI with no network access.
"""

import base64
import io
from decimal import ROUND_HALF_UP, Decimal

HEADER = "ST0001"
UTF8 = "2"
SEPARATORS = "|#;^~@!$%&*+\\/"  # never "=", which joins a requisite to its value
REQUIRED = ("Name", "PersonalAcc", "BankName", "BIC", "CorrespAcc")
MAX_LENGTH = {
	"Name": 160,
	"PersonalAcc": 20,
	"BankName": 45,
	"BIC": 9,
	"CorrespAcc": 20,
	"PayeeINN": 12,
	"KPP": 9,
	"Sum": 18,
	"Purpose": 210,
}


class PaymentQRError(ValueError):
	"""The values cannot make a payload: a required value is missing or malformed."""


def payload(values: dict[str, str]) -> str:
	"""The GOST R 56042-2014 UTF-8 payload for `values` (requisite name → text).

	Required requisites come first in the standard's order, then the others in the
	order given; empty optional values are left out, long ones cut to their maximum
	length. Raises PaymentQRError when a required requisite is empty or every
	separator candidate occurs in the values."""
	missing = [key for key in REQUIRED if not str(values.get(key) or "").strip()]
	if missing:
		raise PaymentQRError("missing: " + ", ".join(missing))
	ordered = [*REQUIRED, *(key for key in values if key not in REQUIRED)]
	pairs = []
	for key in ordered:
		text = " ".join(str(values.get(key) or "").split())
		if not text:
			continue
		pairs.append((key, text[: MAX_LENGTH.get(key, len(text))]))
	used = "".join(text for _key, text in pairs)
	separator = next((s for s in SEPARATORS if s not in used), None)
	if separator is None:
		raise PaymentQRError("no separator is free")
	return separator.join([HEADER + UTF8, *(f"{key}={text}" for key, text in pairs)])


def parse(text: str) -> dict[str, str]:
	"""The requisites of a payload (the inverse of `payload`): reads the separator from
	the header. Raises PaymentQRError for anything that is not an ST0001 payload."""
	if not text.startswith(HEADER) or len(text) < 8:
		raise PaymentQRError("not an ST0001 payload")
	separator = text[7]
	values = {}
	for part in text[8:].split(separator):
		key, sep, value = part.partition("=")
		if not sep:
			raise PaymentQRError(f"malformed requisite: {part!r}")
		values[key] = value
	return values


def kopecks(amount) -> int:
	"""Rubles (float, Decimal or str) to whole kopecks, rounded half up."""
	return int((Decimal(str(amount or 0)) * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _digits(value, length: int) -> str | None:
	text = "".join(str(value or "").split())
	return text if text.isdigit() and len(text) == length else None


def invoice_values(seller: dict, amount, purpose: str) -> dict[str, str] | None:
	"""The requisites for paying an invoice to `seller` (the print context's seller:
	legal_name, inn, kpp, bank_name, bik, settlement_account, correspondent_account),
	or None when the bank requisites are incomplete or malformed (name, bank, a 9-digit
	BIK, 20-digit settlement and correspondent accounts) or the amount is not positive."""
	account = _digits(seller.get("settlement_account"), 20)
	bik = _digits(seller.get("bik"), 9)
	correspondent = _digits(seller.get("correspondent_account"), 20)
	name = (seller.get("legal_name") or "").strip()
	bank = (seller.get("bank_name") or "").strip()
	total = kopecks(amount)
	if not (account and bik and correspondent and name and bank) or total <= 0:
		return None
	values = {
		"Name": name,
		"PersonalAcc": account,
		"BankName": bank,
		"BIC": bik,
		"CorrespAcc": correspondent,
		"PayeeINN": _digits(seller.get("inn"), 10) or _digits(seller.get("inn"), 12) or "",
		"KPP": _digits(seller.get("kpp"), 9) or "",
		"Sum": str(total),
		"Purpose": purpose,
	}
	return {key: value for key, value in values.items() if value}


def invoice_purpose(number: str, date: str, vat_by_rate: list[dict], without_vat: bool) -> str:
	"""The payment purpose as Russian payment orders word it (always in Russian, the
	language of the payment order): "Оплата по счёту № 15 от 01.12.2026, в т.ч. НДС
	(20%) 200,00" or "…, НДС не облагается". `vat_by_rate`: rows with rate (percent)
	and amount (rubles), as in the print context."""
	head = f"Оплата по счёту № {number} от {date}"
	if without_vat or not vat_by_rate:
		return f"{head}, НДС не облагается"
	vat = ", ".join(
		f"НДС ({float(row['rate']):g}%) {Decimal(str(row['amount'])):.2f}".replace(".", ",")
		for row in vat_by_rate
	)
	return f"{head}, в т.ч. {vat}"


def png(text: str, scale: int = 4, border: int = 4) -> bytes:
	"""A PNG image of the QR symbol for `text` (byte mode, UTF-8, error correction M as
	the standard recommends); `scale` pixels per module, `border` modules of quiet zone."""
	import pyqrcode
	from PIL import Image

	code = pyqrcode.create(text, error="M", mode="binary", encoding="utf-8")
	matrix = code.code
	size = len(matrix) + 2 * border
	image = Image.new("1", (size, size), 1)
	pixels = image.load()
	for y, row in enumerate(matrix):
		for x, dark in enumerate(row):
			if dark:
				pixels[x + border, y + border] = 0
	image = image.resize((size * scale, size * scale), Image.NEAREST)
	out = io.BytesIO()
	image.save(out, format="PNG")
	return out.getvalue()


def data_uri(text: str) -> str:
	"""`png(text)` as a data: URI for an <img src>, printed without network access."""
	return "data:image/png;base64," + base64.b64encode(png(text)).decode()
