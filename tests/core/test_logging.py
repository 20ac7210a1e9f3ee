"""A refused request is logged as one line, not a traceback."""

import logging
import sys

from django.core.exceptions import PermissionDenied

from kb.core.logging import RefusalsInOneLine


def _record(status_code: int) -> logging.LogRecord:
    try:
        raise PermissionDenied("Only editors review submissions.")
    except PermissionDenied:
        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Forbidden: %s", ("/review/",), exc_info
    )
    record.status_code = status_code
    return record


def test_a_403_is_logged_without_its_traceback() -> None:
    record = _record(403)
    assert RefusalsInOneLine().filter(record)
    line = logging.Formatter().format(record)
    assert line == "Forbidden: /review/"


def test_other_errors_keep_their_traceback() -> None:
    record = _record(500)
    assert RefusalsInOneLine().filter(record)
    assert "Traceback" in logging.Formatter().format(record)


def test_the_console_handler_applies_the_filter(settings) -> None:
    assert "refusals_in_one_line" in settings.LOGGING["handlers"]["console"]["filters"]
