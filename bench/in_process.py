"""The API's computed cost in-process (issue 12): Django's test client against the benchmark
database (200,000 reports on the local PostgreSQL, made by serve_bench.py), debug off, kept
answers off, so that every request is computed. Prints the median of 200 distinct report
details and of 200 cursor pages of 100 reports, their queries, and the targets (a detail
under 2 ms, a page under 8 ms). The suite asserts the query counts; only this times them.

    .venv/bin/python bench/in_process.py      # make bench runs this
"""

import random
import statistics
import sys
import time

from in_process_setup import NOT_FILLED, setup_django

TARGETS_MS = {"detail": 2.0, "page of 100": 8.0}


def main() -> int:
    setup_django(API_CACHE_ENTRIES="0", API_THROTTLE_RATE="100000000/minute")
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from reports.models import DamageReport

    client = Client()
    ids = list(DamageReport.objects.public().order_by("pk").values_list("pk", flat=True))
    if len(ids) < 10_000:
        print(NOT_FILLED)
        return 1
    details = [f"/api/v1/reports/{pk}/" for pk in random.Random(12).sample(ids, 200)]
    pages, address = [], "/api/v1/reports/?page_size=100"
    for _ in range(220):  # the first 20 warm up
        pages.append(address)
        address = client.get(address).json()["next"].replace("http://testserver", "")
    for name, urls in (("detail", details), ("page of 100", pages[20:])):
        for url in urls[:20]:
            client.get(url)
        times = []
        for url in urls:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, url
        with CaptureQueriesContext(connection) as queries:
            client.get(urls[-1])
        median, target = statistics.median(times), TARGETS_MS[name]
        verdict = "met" if median < target else f"MISSED by {median - target:.1f} ms"
        print(
            f"{name:12} median {median:5.2f} ms of {len(urls)} distinct URLs, "
            f"{len(queries.captured_queries)} queries; target < {target:.0f} ms: {verdict}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
