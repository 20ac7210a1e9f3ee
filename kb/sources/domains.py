"""Web domains as a source register keys them: lower-case, IDNA (punycode), no ``www.``."""

from urllib.parse import urlsplit

MAX_DOMAIN_LENGTH = 253


class BadDomain(ValueError):
    """A domain or URL host that cannot name a web site."""


def normalize_domain(value: str) -> str:
    """The register's spelling of a domain typed by an editor or taken from a URL host.

    Raises BadDomain with a message fit for a form when the value names no host.
    """
    host = value.strip().lower().rstrip(".")
    if "://" in host or "/" in host or ":" in host:
        host = host_of(host if "://" in host else f"//{host}")
    if host.startswith("www."):
        host = host[4:]
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError as error:
        raise BadDomain(f"“{value[:80]}” is not a valid domain name.") from error
    labels = host.split(".")
    if not host or len(host) > MAX_DOMAIN_LENGTH or not all(labels):
        raise BadDomain(f"“{value[:80]}” is not a valid domain name.")
    if any(not (label.replace("-", "").isalnum() and label.isascii()) for label in labels):
        raise BadDomain(f"“{value[:80]}” is not a valid domain name.")
    return host


def host_of(url: str) -> str:
    try:
        return urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""


def domain_of_url(url: str) -> str | None:
    """The normalised domain of a URL's host, or None for a URL without a usable host."""
    host = host_of(url)
    if not host:
        return None
    try:
        return normalize_domain(host)
    except BadDomain:
        return None


def candidate_domains(domain: str) -> list[str]:
    """The domain and every parent of it, longest first: news.bbc.co.uk, bbc.co.uk, co.uk, uk.

    A URL matches a source registered for any of these; the longest one registered wins, so
    one indexed ``domain__in`` query finds a source by its sub-domains too.
    """
    labels = domain.split(".")
    return [".".join(labels[index:]) for index in range(len(labels))]
