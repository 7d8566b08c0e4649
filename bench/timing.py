"""How the benchmarks time a page: the median of repeated requests through Django's test client."""

import statistics
import time


def p50_ms(client, url: str, repeats: int) -> float:
    """The median time of `repeats` requests for the page, after one that warms caches and the connection."""
    client.get(url)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return round(statistics.median(times), 1)
