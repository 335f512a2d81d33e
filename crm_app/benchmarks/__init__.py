"""Benchmarks: run on a throwaway site, never in the test suite.

bench --site <site> execute crm_app.benchmarks.run --kwargs "{'sizes': [10000, 100000, 1000000]}"
bench --site <site> execute crm_app.benchmarks.invoice.run --kwargs "{'runs': 30}"
"""

import statistics
import time


def median_ms(samples: list[float]) -> float:
	return round(statistics.median(samples) * 1000, 2)


class Timer:
	def __enter__(self):
		self.start = time.perf_counter()
		return self

	def __exit__(self, *exc):
		self.seconds = time.perf_counter() - self.start


def run(**kwargs):
	"""The whole suite (see suite.py); prints the results table."""
	from crm_app.benchmarks.suite import run as run_suite

	return run_suite(**kwargs)
