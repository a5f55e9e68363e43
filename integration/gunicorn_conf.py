"""gunicorn's settings for the web processes (`scripts/serve web`, and the load bench, so
that it measures what the servers run). Command-line options given there win.

- Workers: `WEB_CONCURRENCY` processes (2, about one per core), each with `WEB_THREADS`
  threads (4): gunicorn's `gthread` workers. With synchronous workers each request held a
  whole process, so a national export (1 to 3 s) took one of the two and every other user
  queued behind the other one. `bench/load.py` at 8 users on the generated national data,
  three runs of each setting in one session (the machine shared, busy): /healthz's median
  answered in 298, 297 and 670 ms with 2 sync workers, 152, 589 and 422 ms with 4, and 25,
  26 and 47 ms with 2 × 4 threads. Threads cost little memory and overlap the time a
  request waits for PostgreSQL; more processes only queue on the two cores.
  `WEB_THREADS=1` gives back synchronous workers. Each thread keeps its own database
  connection (`CONN_MAX_AGE`): count workers × threads connections per web container.
- Timeout: `WEB_TIMEOUT` seconds (30). With threads, gunicorn restarts a worker whose main
  loop stops answering for that long; a single slow request no longer kills its worker,
  so the longest legitimate ones bound themselves: exports stream their first bytes at
  once and take a few seconds for all of France; a signature check's child is stopped
  after `VERIFICATION_DUREE_SECONDES` (12 s). The same value is the graceful stop's delay,
  so a restart lets them finish.
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
threads = env_int("WEB_THREADS", 4, minimum=1)
worker_class = "gthread" if threads > 1 else "sync"
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
