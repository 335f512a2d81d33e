import pytest

from crm_app.utils.contact_info import ContactInfoError, build_full_name, normalize_email, normalize_phone


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
