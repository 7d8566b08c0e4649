"""One page under load, for `bench.load`: each simulated officer asks for it again as soon as it has the answer.

Run by `bench.load` through Locust's command line (headless), one page and one number of users at a time:
BENCH_LOAD_PATH is the page, BENCH_LOAD_NAME its name in Locust's figures, BENCH_LOAD_SESSIONS the session ids
of officers signed in through the form (one per user). Every request carries `X-Forwarded-Proto: https`, as
the TLS-terminating proxy in front of a real deployment sets it, so the production settings serve it.
Anything but a 200 is a failure: a redirect (to the sign-in page, say) is not followed.
"""

import itertools
import os

from locust import HttpUser, constant, task

PATH = os.environ.get("BENCH_LOAD_PATH", "/")
NAME = os.environ.get("BENCH_LOAD_NAME", PATH)
SESSIONS = [s for s in os.environ.get("BENCH_LOAD_SESSIONS", "").split(",") if s]
_next_session = itertools.count()


class Officer(HttpUser):
    # No thinking time: N users keep N requests in flight, so the figures are the server's throughput.
    wait_time = constant(0)

    def on_start(self):
        session = SESSIONS[next(_next_session) % len(SESSIONS)] if SESSIONS else ""
        # Set by hand: the session cookie is Secure, which a client on plain HTTP would not send back.
        self.headers = {"Cookie": f"sessionid={session}", "X-Forwarded-Proto": "https"}

    @task
    def page(self):
        with self.client.get(PATH, headers=self.headers, allow_redirects=False, name=NAME, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")
