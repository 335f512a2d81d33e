import pytest

from crm_app.clients.contact_info import (
	ContactInfoError,
	build_full_name,
	clean_extension,
	normalize_email,
	normalize_phone,
	split_phone,
)


@pytest.mark.parametrize(
	"raw, region, expected",
	[
		("8 (916) 123-45-67", "RU", "+79161234567"),
		("+7 916 123 45 67", "DE", "+79161234567"),
		("9161234567", "RU", "+79161234567"),
		("030 901820", "DE", "+4930901820"),
		("", "RU", ""),
		(None, None, ""),
	],
)
def test_normalize_phone(raw, region, expected):
	assert normalize_phone(raw, region) == expected


@pytest.mark.parametrize("raw", ["12345", "+7 123", "call me", "+999 1234567"])
def test_invalid_phone(raw):
	with pytest.raises(ContactInfoError):
		normalize_phone(raw, "RU")


def test_email():
	assert normalize_email("  Ivan.Petrov@Example.COM ") == "ivan.petrov@example.com"
	assert normalize_email("") == ""
	for bad in ("ivan", "ivan@", "@example.com", "ivan petrov@example.com", "a@b@c.ru", "ivan@example"):
		with pytest.raises(ContactInfoError):
			normalize_email(bad)


def test_full_name():
	assert build_full_name("Petrov", " Ivan ", None, "") == "Petrov Ivan"
	assert build_full_name(None) == ""


@pytest.mark.parametrize(
	"raw, expected",
	[
		("+7 495 123-45-67 доб. 123", ("+74951234567", "123")),
		("8 (495) 123-45-67 доб 101", ("+74951234567", "101")),
		("+7 495 123-45-67 ext. 102", ("+74951234567", "102")),
		("+7 495 123-45-67 x103", ("+74951234567", "103")),
		("+7 495 123-45-67#104", ("+74951234567", "104")),
		("+7 495 123-45-67", ("+74951234567", "")),
		("", ("", "")),
	],
)
def test_split_phone_keeps_the_extension(raw, expected):
	assert split_phone(raw, "RU") == expected


@pytest.mark.parametrize(
	"raw",
	[
		"+7 495 123-45-67 доб.",
		"+7 495 123-45-67 доб. 12a",
		"+7 495 123-45-67 доб. 1 2",
		"+7 495 123-45-67 abc",
	],
)
def test_what_cannot_be_read_whole_is_refused(raw):
	with pytest.raises(ContactInfoError):
		split_phone(raw, "RU")


def test_a_mobile_with_an_extension_is_refused_not_truncated():
	with pytest.raises(ContactInfoError):
		normalize_phone("+7 916 123-45-67 доб. 5", "RU")


def test_extension_digits_only():
	assert clean_extension(" 0123 ") == "0123"
	assert clean_extension(None) == ""
	with pytest.raises(ContactInfoError):
		clean_extension("12-3")
