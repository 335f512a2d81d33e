"""Bank statements in the 1CClientBankExchange text format ("Клиент банка" exchange
standard of 1C:Enterprise, versions 1.02 and 1.03), which every Russian bank exports.

The file: the first line `1CClientBankExchange`; header lines `Key=Value`
(ВерсияФормата, Кодировка=Windows|DOS|UTF-8 …, Отправитель, ДатаНачала, ДатаКонца,
РасчСчет …); a section per account (`СекцияРасчСчет` … `КонецРасчСчет`); a section per
payment document (`СекцияДокумент=Платежное поручение` … `КонецДокумента`: Номер, Дата,
Сумма, ПлательщикСчет, ПлательщикИНН, Плательщик1 or Плательщик, ПолучательСчет,
ПолучательИНН, НазначениеПлатежа, ДатаПоступило, ДатаСписано …); `КонецФайла`.
Windows-1251 unless the header says otherwise.

Pure Python over bytes (`parse`), so the offline tests feed it hand-made statements;
`crm_app.documents.bank_statements` matches the payments to invoices and books them.
"""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

SIGNATURE = "1CClientBankExchange"
VERSIONS = ("1.01", "1.02", "1.03")
ENCODINGS = {"windows": "cp1251", "dos": "cp866", "utf-8": "utf-8", "utf8": "utf-8", "": "cp1251"}


class StatementError(ValueError):
	"""A file that is not a statement, or a damaged one (message for the user; `line` is
	the 1-based line of the file it concerns, if any)."""

	def __init__(self, message: str, line: int | None = None):
		super().__init__(message if line is None else f"{message} (line {line})")
		self.line = line


@dataclass
class Payment:
	"""One payment document of the statement."""

	kind: str  # the section's name: "Платежное поручение", "Банковский ордер" …
	number: str
	date: date
	amount: Decimal
	payer_account: str
	payer_inn: str
	payer: str
	recipient_account: str
	recipient_inn: str
	purpose: str
	received: date | None  # ДатаПоступило: credited to the recipient's account
	written_off: date | None  # ДатаСписано: debited from the payer's account
	line: int  # where its section starts in the file

	def key(self, account: str) -> str:
		"""What identifies the payment across uploads of statements of `account`: account,
		date, number, amount and payer INN (a 40-character hash)."""
		text = "|".join((account, self.date.isoformat(), self.number, f"{self.amount:.2f}", self.payer_inn))
		return hashlib.sha1(text.encode()).hexdigest()


@dataclass
class Statement:
	version: str
	encoding: str
	accounts: list[str] = field(default_factory=list)
	start: date | None = None
	end: date | None = None
	payments: list[Payment] = field(default_factory=list)

	def incoming(self, account: str) -> list[Payment]:
		"""The payments credited to `account` (the seller's own): never those it paid."""
		return [p for p in self.payments if p.recipient_account == account and p.payer_account != account]


def _date(value: str, line: int, name: str) -> date:
	match = re.fullmatch(r"(\d{2})\.(\d{2})\.(\d{4})", value.strip())
	if not match:
		raise StatementError(f"{name} {value!r} is not a date DD.MM.YYYY", line)
	day, month, year = (int(g) for g in match.groups())
	try:
		return date(year, month, day)
	except ValueError as e:
		raise StatementError(f"{name} {value!r} is not a date", line) from e


def _amount(value: str, line: int) -> Decimal:
	text = value.strip().replace(" ", "").replace(",", ".")
	try:
		amount = Decimal(text)
	except InvalidOperation as e:
		raise StatementError(f"Сумма {value!r} is not an amount", line) from e
	if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
		raise StatementError(f"Сумма {value!r} is not an amount of rubles and kopecks", line)
	return amount


def decode(data: bytes) -> tuple[str, str]:
	"""(text, Python codec): the header's Кодировка decides (Windows = windows-1251 by
	default, DOS = cp866, UTF-8); a UTF-8 byte order mark is UTF-8."""
	if data.startswith(b"\xef\xbb\xbf"):
		return data[3:].decode("utf-8"), "utf-8"
	if not data.lstrip().startswith(SIGNATURE.encode()):
		raise StatementError("The file is not a 1CClientBankExchange bank statement")
	declared = None
	for probe in ("utf-8", "cp1251", "cp866"):  # the header's own words, in any of them
		declared = re.search(r"^Кодировка=(.*?)\s*$", data[:4000].decode(probe, errors="ignore"), flags=re.M)
		if declared:
			break
	codec = ENCODINGS.get((declared.group(1).strip().lower() if declared else ""), None)
	if codec is None:
		raise StatementError(f"Unknown encoding {declared.group(1).strip()!r}")
	try:
		return data.decode(codec), codec
	except UnicodeDecodeError as e:
		raise StatementError(f"The file is not in the encoding its header names ({codec})") from e


def parse(data: bytes) -> Statement:
	"""Read a whole statement. Raises StatementError for a file that is not one, an
	unknown version or encoding, or a damaged section (a document without its end, a
	missing or malformed number, date or amount): a statement is taken whole or not at
	all."""
	text, codec = decode(data)
	lines = text.splitlines()
	if not lines or lines[0].strip().lstrip("\ufeff") != SIGNATURE:
		raise StatementError("The file is not a 1CClientBankExchange bank statement", 1)
	statement = Statement(version="", encoding=codec)
	section: dict | None = None
	section_kind = ""
	section_line = 0
	in_account = False
	ended = False
	for number, raw in enumerate(lines[1:], start=2):
		line = raw.strip()
		if not line:
			continue
		if ended:
			raise StatementError("Text after КонецФайла", number)
		key, _sep, value = line.partition("=")
		if section is not None:
			if line == "КонецДокумента":
				statement.payments.append(_payment(section, section_kind, section_line))
				section = None
			elif key.startswith("СекцияДокумент") or line in ("КонецФайла", "СекцияРасчСчет"):
				raise StatementError("A document section without КонецДокумента", section_line)
			else:
				section.setdefault(key, value)
			continue
		if key == "СекцияДокумент":
			section, section_kind, section_line = {}, value.strip(), number
		elif line == "СекцияРасчСчет":
			in_account = True
		elif line == "КонецРасчСчет":
			in_account = False
		elif line == "КонецФайла":
			ended = True
		elif key == "ВерсияФормата":
			statement.version = value.strip()
		elif key == "РасчСчет":
			account = value.strip()
			if account and account not in statement.accounts:
				statement.accounts.append(account)
		elif key == "ДатаНачала" and not in_account:
			statement.start = _date(value, number, key)
		elif key == "ДатаКонца" and not in_account:
			statement.end = _date(value, number, key)
	if section is not None:
		raise StatementError("A document section without КонецДокумента", section_line)
	if not ended:
		raise StatementError("The statement ends without КонецФайла: the file is cut short")
	if statement.version not in VERSIONS:
		raise StatementError(f"Unknown format version {statement.version!r} (known: {', '.join(VERSIONS)})")
	return statement


def _payment(values: dict, kind: str, line: int) -> Payment:
	for required in ("Номер", "Дата", "Сумма"):
		if not values.get(required, "").strip():
			raise StatementError(f"A payment without {required}", line)
	payer = values.get("Плательщик1") or values.get("Плательщик") or ""
	return Payment(
		kind=kind,
		number=values["Номер"].strip(),
		date=_date(values["Дата"], line, "Дата"),
		amount=_amount(values["Сумма"], line),
		payer_account=values.get("ПлательщикСчет", "").strip()
		or values.get("ПлательщикРасчСчет", "").strip(),
		payer_inn=values.get("ПлательщикИНН", "").strip(),
		payer=payer.strip(),
		recipient_account=values.get("ПолучательСчет", "").strip()
		or values.get("ПолучательРасчСчет", "").strip(),
		recipient_inn=values.get("ПолучательИНН", "").strip(),
		purpose=" ".join(values.get("НазначениеПлатежа", "").split()),
		received=_date(values["ДатаПоступило"], line, "ДатаПоступило")
		if values.get("ДатаПоступило", "").strip()
		else None,
		written_off=_date(values["ДатаСписано"], line, "ДатаСписано")
		if values.get("ДатаСписано", "").strip()
		else None,
		line=line,
	)


def numbers_in(purpose: str) -> list[str]:
	"""The document numbers a payment purpose may name ("Оплата по счёту № DEAL-2026-00031
	от 01.12.2026 …" → ["DEAL-2026-00031", …]): tokens of letters, digits, "-", "/" and
	"." holding a digit, dates left out."""
	tokens = re.findall(r"[0-9A-Za-zА-Яа-яЁё][0-9A-Za-zА-Яа-яЁё./\-]*", purpose or "")
	found = []
	for token in tokens:
		token = token.rstrip(".-/")
		if not re.search(r"\d", token) or re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{2,4}", token):
			continue
		if token not in found:
			found.append(token)
	return found


def build(account: str, payments: list[dict], start: date, end: date, version: str = "1.03") -> bytes:
	"""A statement of `account` in windows-1251 (the tests' and the benchmark's files).
	`payments`: dicts with number, date, amount, payer_inn, payer, payer_account,
	purpose, and recipient_account (default `account`)."""
	out = [
		SIGNATURE,
		f"ВерсияФормата={version}",
		"Кодировка=Windows",
		"Отправитель=Бухгалтерия банка",
		"Получатель=Бухгалтерия предприятия",
		f"ДатаНачала={start:%d.%m.%Y}",
		f"ДатаКонца={end:%d.%m.%Y}",
		f"РасчСчет={account}",
		"Документ=Платежное поручение",
		"СекцияРасчСчет",
		f"ДатаНачала={start:%d.%m.%Y}",
		f"ДатаКонца={end:%d.%m.%Y}",
		f"РасчСчет={account}",
		"КонецРасчСчет",
	]
	for p in payments:
		out += [
			"СекцияДокумент=Платежное поручение",
			f"Номер={p['number']}",
			f"Дата={p['date']:%d.%m.%Y}",
			f"Сумма={Decimal(str(p['amount'])):.2f}",
			f"ПлательщикСчет={p.get('payer_account', '40702810000000000099')}",
			f"ПлательщикИНН={p.get('payer_inn', '')}",
			f"Плательщик1={p.get('payer', '')}",
			f"ПолучательСчет={p.get('recipient_account', account)}",
			f"ДатаПоступило={p['date']:%d.%m.%Y}",
			f"НазначениеПлатежа={p.get('purpose', '')}",
			"КонецДокумента",
		]
	out.append("КонецФайла")
	return ("\r\n".join(out) + "\r\n").encode("cp1251", errors="replace")
