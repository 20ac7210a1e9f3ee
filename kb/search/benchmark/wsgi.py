"""The KB as deployed (config.wsgi), saying which worker answered each request.

The benchmark's workers share one listening socket, as gunicorn's workers do in
production, so it cannot choose the worker a request reaches. To check that a save is
findable from every worker it reads ``X-Served-By`` (the worker's process id), which this
wrapper adds to every response; the KB itself never sends it.
"""

import os

from config.wsgi import application as kb
from kb.search.benchmark.load import SERVED_BY  # after config.wsgi: Django is set up


def application(environ, start_response):
    def start(status, headers, exc_info=None):
        return start_response(status, [*headers, (SERVED_BY, str(os.getpid()))], exc_info)

    return kb(environ, start)
