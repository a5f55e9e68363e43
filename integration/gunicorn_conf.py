"""gunicorn's settings for the web processes (`scripts/serve web`, and the load bench, so
that it measures what the servers run). Command-line options given there win.

- Workers: `WEB_CONCURRENCY` (2), synchronous: each request holds one process, so count
  about one per core; more of them queue on the CPU instead of answering sooner.
- Timeout: `WEB_TIMEOUT` seconds (30). The longest legitimate requests are a national
  XLSX export (written before it is sent: under 10 s on the generated national data) and
  a signature check (its child is stopped after `VERIFICATION_DUREE_SECONDES`, 12 s). A
  CSV export streams, so it never waits that long before its first byte.
- Recycling: a worker is replaced after `WEB_MAX_REQUESTS` requests (2000, with jitter so
  that they are not all replaced at once), which bounds any slow growth of its memory.
- Steady latency: once a worker has loaded the application and its URL configuration,
  `gc.freeze()` moves everything alive to a generation the collector never scans again.
  The full collections that walked those hundreds of thousands of long-lived objects
  (modules, URL patterns, templates' code) no longer pause requests; in-process, on a
  département's exports, p90 went from 174 to 87 ms.
"""

import gc

from integration.env import env_int

workers = env_int("WEB_CONCURRENCY", 2, minimum=1)
worker_class = "sync"
timeout = env_int("WEB_TIMEOUT", 30, minimum=10)
graceful_timeout = timeout
keepalive = 5
max_requests = env_int("WEB_MAX_REQUESTS", 2000, minimum=0)
max_requests_jitter = max_requests // 10


def post_worker_init(worker) -> None:
    """After the worker loaded the WSGI application: load what the first request would
    (every view module, through the URL conf), collect once, then freeze the survivors."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module
    gc.collect()
    gc.freeze()
