"""The client base: Client Company and Client Contact, their requisites (INN, KPP, OGRN),
phones and e-mails, duplicates, and the state register's card by INN.

The pure modules (`requisites`, `contact_info`, `registry.card`) import no Frappe, so the
offline tests call them."""
