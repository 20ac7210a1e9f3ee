"""gunicorn's settings, read from the working directory (`gunicorn config.wsgi`)."""


def post_worker_init(worker) -> None:
    """Each worker loads its search sets before it takes requests (see docs/search.md)."""
    from kb.search.snapshot import warm

    warm()


# Two threads in each worker: a slow request (a save, a PDF) no longer holds up every
# request queued behind it on that worker; the GIL and two cores make more threads slower
# (docs/bench/2026-12-02-shared-pages.md). The command line's --threads overrides it.
threads = 2
