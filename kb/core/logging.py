"""Logging that says what matters: a refused request, or one that met an unreachable
database, is one line, not a traceback."""

import logging


class RefusalsInOneLine(logging.Filter):
    """Drop the traceback Django attaches to "Forbidden (Permission denied)": a 403 is the
    permission rules working, and its stack says nothing the path and user do not."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True


class OutagesInOneLine(logging.Filter):
    """Log a request that met an unreachable database in one line with the reason, not
    Django's traceback: in an outage every request fails the same way, and a screen of
    identical stacks hides the one line that says why."""

    def filter(self, record: logging.LogRecord) -> bool:
        if (
            getattr(record, "status_code", None) == 503
            and record.exc_info
            and isinstance(record.args, tuple)
        ):
            from kb.core.unavailable import database_unavailable  # settings load this module

            error = record.exc_info[1]
            if database_unavailable(error):
                record.msg = f"{record.msg} (the database is unreachable: %s)"
                record.args = (*record.args, " ".join(str(error).split()) or type(error).__name__)
                record.exc_info = None
                record.exc_text = None
        return True
