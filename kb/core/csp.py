"""Where browsers report what the Content-Security-Policy blocked (its ``report-uri``).

The policy itself is in ``config/settings.py`` (django-csp). A report says a page tried to
run or load something the policy forbids: markup that got past the Markdown sanitiser, an
inline handler someone added to a template, a browser extension. Each report becomes one
log line on ``kb.csp``, for whoever watches the logs.

Anyone may post here, signed in or not and without a CSRF token (browsers send none with
a report), so the view trusts nothing: bodies over 16 KB are refused unread, anything that
is not a report is a 400, every field is cut short and logged as JSON (no forged log
lines), and at most ``LOGGED_PER_MINUTE`` reports a minute are logged per process.
"""

import json
import logging
import time

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

logger = logging.getLogger("kb.csp")

MAX_REPORT_BYTES = 16 * 1024
LOGGED_PER_MINUTE = 60
# Longest value of one field kept in the log (a script sample is at most 40 characters).
MAX_FIELD_CHARS = 300
# The fields worth a log line, by their names in report-uri reports (the Reporting API
# spells them in camelCase: documentURL, effectiveDirective…).
FIELDS: dict[str, str | None] = {
    "document-uri": "documentURL",
    "effective-directive": "effectiveDirective",
    "violated-directive": None,  # CSP2's name of the effective directive
    "blocked-uri": "blockedURL",
    "source-file": "sourceFile",
    "line-number": "lineNumber",
    "column-number": "columnNumber",
    "script-sample": "sample",
    "disposition": "disposition",
}


def violations(body: bytes) -> list[dict[str, str]]:
    """The violations in a report body: a ``{"csp-report": {…}}`` object (report-uri) or a
    list of Reporting API reports of type "csp-violation". Raises ValueError on anything
    else."""
    data = json.loads(body)
    if isinstance(data, dict) and isinstance(data.get("csp-report"), dict):
        reports = [(data["csp-report"], False)]
    elif isinstance(data, list):
        reports = [
            (report["body"], True)
            for report in data[:20]
            if isinstance(report, dict)
            and report.get("type") == "csp-violation"
            and isinstance(report.get("body"), dict)
        ]
    else:
        reports = []
    if not reports:
        raise ValueError("not a CSP violation report")
    found = []
    for report, camel_case in reports:
        fields = {}
        for name, camel_name in FIELDS.items():
            value = report.get(camel_name if camel_case else name)
            if value not in (None, ""):
                fields[name] = str(value)[:MAX_FIELD_CHARS]
        found.append(fields)
    return found


def _may_log() -> bool:
    """True for the first LOGGED_PER_MINUTE reports of this minute: a page that breaks the
    policy on every view, or someone posting reports in a loop, cannot flood the log."""
    key = f"csp-reports-{int(time.time() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        return cache.incr(key) <= LOGGED_PER_MINUTE
    except ValueError:  # the counter expired between add and incr
        return True


@login_not_required
@csrf_exempt
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """Log each violation a browser reports; 204, or 400/413 for what is not a report."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return HttpResponse("Content-Length is not a number.", status=400)
    if length > MAX_REPORT_BYTES:
        return HttpResponse("A report is at most 16 KB.", status=413)
    body = request.read(MAX_REPORT_BYTES + 1)
    if len(body) > MAX_REPORT_BYTES:
        return HttpResponse("A report is at most 16 KB.", status=413)
    try:
        found = violations(body)
    except (ValueError, RecursionError):  # json's decode errors are ValueErrors
        return HttpResponse("This is not a CSP violation report.", status=400)
    for fields in found:
        if _may_log():
            logger.warning("CSP violation: %s", json.dumps(fields, sort_keys=True))
    return HttpResponse(status=204)
