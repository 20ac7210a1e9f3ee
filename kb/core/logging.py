"""Logging that says what matters: a refused request is one line, not a traceback."""

import logging


class RefusalsInOneLine(logging.Filter):
    """Drop the traceback Django attaches to "Forbidden (Permission denied)": a 403 is the
    permission rules working, and its stack says nothing the path and user do not."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
