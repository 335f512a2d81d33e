"""Real-browser UI layer (Playwright driving Chromium against a served site).

Run with `.ci/ui-tests SITE BASE_URL`; the modules here import Playwright, not Frappe, and
are not named test_*: neither `pytest tests` nor `bench run-tests` collects them.
"""
