"""Creates a bare System User on a site of the local bench, for when Frappe's throttle on
user creation (60 an hour per site, counted for everyone) refuses it over REST:
`cd <bench>/sites && ../env/bin/python bench_user.py SITE EMAIL FIRST_NAME`.
The runner sets the roles, language and password over REST afterwards."""

import sys

import frappe


def main(site: str, email: str, first_name: str):
	frappe.init(site=site, sites_path=".")
	frappe.connect()
	try:
		if not frappe.db.exists("User", email):
			frappe.local.conf.throttle_user_limit = 10**9  # this process only
			frappe.get_doc(
				{
					"doctype": "User",
					"email": email,
					"first_name": first_name,
					"user_type": "System User",
					"send_welcome_email": 0,
				}
			).insert(ignore_permissions=True)
			frappe.db.commit()
	finally:
		frappe.destroy()


if __name__ == "__main__":
	main(*sys.argv[1:4])
