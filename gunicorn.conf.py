"""gunicorn's settings, read from the working directory (`gunicorn config.wsgi`)."""


def post_worker_init(worker) -> None:
    """Each worker loads its search sets before it takes requests (see docs/search.md)."""
    from kb.search.snapshot import warm

    warm()
