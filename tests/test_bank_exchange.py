"""1CClientBankExchange statements (crm_app.documents.bank_exchange): versions 1.02 and
1.03, windows-1251 and UTF-8, incoming payments only, and every damaged file refused."""

from datetime import date
from decimal import Decimal

import pytest

from crm_app.documents import bank_exchange as bx

OURS = "40702810938000000001"
DAY = date(2026, 3, 2)


def payments():
	return [
		{"number": "101", "date": DAY, "amount": "12200.00", "payer_inn": "7705033150", "payer": 'АО "Покупатель"',
		 "purpose": "Оплата по счёту № DEAL-2026-00031 от 20.02.2026, в т.ч. НДС (22%) 2200,00"},
		{"number": "7", "date": DAY, "amount": 500, "payer_inn": "7707083893", "payer": "Мы",
		 "payer_account": OURS, "recipient_account": "40702810000000000555", "purpose": "Аренда"},
	]  # fmt: skip


def test_a_statement_reads_whole_and_keeps_only_what_came_in():
	statement = bx.parse(bx.build(OURS, payments(), DAY, DAY))
	assert (statement.version, statement.encoding, statement.accounts) == ("1.03", "cp1251", [OURS])
	assert len(statement.payments) == 2
	[incoming] = statement.incoming(OURS)
	assert (incoming.number, incoming.amount, incoming.payer_inn) == (
		"101",
		Decimal("12200.00"),
		"7705033150",
	)
	assert incoming.payer == 'АО "Покупатель"'
	assert incoming.received == DAY
	assert "DEAL-2026-00031" in bx.numbers_in(incoming.purpose)
	assert "20.02.2026" not in bx.numbers_in(incoming.purpose)


def test_version_102_in_utf8_and_dos():
	data = bx.build(OURS, payments(), DAY, DAY, version="1.02").decode("cp1251")
	utf8 = data.replace("Кодировка=Windows", "Кодировка=UTF-8").encode("utf-8")
	assert bx.parse(utf8).incoming(OURS)[0].payer == 'АО "Покупатель"'
	dos = data.replace("Кодировка=Windows", "Кодировка=DOS").encode("cp866")
	assert bx.parse(dos).incoming(OURS)[0].purpose.startswith("Оплата по счёту")


def test_the_key_knows_a_payment_again_and_only_it():
	one = bx.parse(bx.build(OURS, payments(), DAY, DAY)).payments[0]
	again = bx.parse(bx.build(OURS, payments(), DAY, DAY)).payments[0]
	other = bx.parse(bx.build(OURS, [dict(payments()[0], amount="12200.01")], DAY, DAY)).payments[0]
	assert one.key(OURS) == again.key(OURS) != other.key(OURS)


@pytest.mark.parametrize(
	"mangle, message",
	[
		(lambda t: "Hello, world\r\n" + t, "not a 1CClientBankExchange"),
		(
			lambda t: t.replace("КонецДокумента\r\nСекцияДокумент", "СекцияДокумент", 1),
			"without КонецДокумента",
		),
		(lambda t: t.replace("КонецФайла\r\n", ""), "cut short"),
		(lambda t: t.replace("Сумма=12200.00", "Сумма=12 2OO"), "not an amount"),
		(lambda t: t.replace("Сумма=12200.00", "Сумма=12200.001"), "rubles and kopecks"),
		(lambda t: t.replace("Дата=02.03.2026", "Дата=31.02.2026", 1), "not a date"),
		(lambda t: t.replace("Номер=101", "Номер="), "without Номер"),
		(lambda t: t.replace("ВерсияФормата=1.03", "ВерсияФормата=9.99"), "Unknown format version"),
		(lambda t: t.replace("Кодировка=Windows", "Кодировка=KOI8"), "Unknown encoding"),
	],
)
def test_a_damaged_or_foreign_file_is_refused_whole(mangle, message):
	text = bx.build(OURS, payments(), DAY, DAY).decode("cp1251")
	with pytest.raises(bx.StatementError, match=message):
		bx.parse(mangle(text).encode("cp1251"))


def test_a_file_in_another_encoding_than_declared_is_refused():
	data = (
		bx.build(OURS, payments(), DAY, DAY).decode("cp1251").replace("Кодировка=Windows", "Кодировка=UTF-8")
	)
	with pytest.raises(bx.StatementError):
		bx.parse(data.encode("cp1251"))
