"""Benchmarks: run on a throwaway site, never in the test suite.

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
