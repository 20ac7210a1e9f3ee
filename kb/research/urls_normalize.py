"""URL and DOI normalisation, so the same page reached through a tracked link, or the same
DOI written as a link, is one KB entry."""

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that identify a campaign or a click, never the document.
TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid", "_hsenc",
     "_hsmi", "mkt_tok", "ref_src", "si", "trk", "trackingid", "li_fat_id"}
)  # fmt: skip
DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize_url(url: str) -> str:
    """Lower-case scheme and host, drop default port, fragment, tracking parameters and
    a trailing slash; keep the remaining query parameters in a stable order."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    path = parts.path.rstrip("/")
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith("utm_") and key.lower() not in TRACKING_PARAMS
    )
    # http and https of one page are one document.
    return urlunsplit(("https" if scheme == "http" else scheme, netloc, path, urlencode(query), ""))


DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def normalize_doi(doi: str) -> str:
    """DOIs are case-insensitive: lower-case, without a resolver prefix ("https://doi.org/",
    "doi:")."""
    return DOI_PREFIX.sub("", doi.strip()).strip().lower()
