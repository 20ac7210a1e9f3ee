"""Who gets what from every URL pattern: the table the permission matrix checks.

``RULES`` maps each pattern's name ("namespace:name") to its addresses, each address to
its methods, and each method to a row: what each role gets, in the order of ``ROLES``
(``None``: not asked, for a page that takes a POST as a GET, see ``page()``):

    anonymous, reader, owner (an advocate who owns the objects), other (another advocate),
    editor (staff, Editor role), superuser

An address names objects of the matrix's world (``test_permission_matrix.world``):
"published", "draft" and "trash" are, on a kind's own pages, that kind's item owned by
the owner; "article-draft" and the like name them on the shared pages; "-" is an address
without parameters; "?…" adds a query string. Every address gives GET and POST (a view
that takes no POST says so with its 405, or shows what it does with one); HEAD, PUT and
DELETE are checked on a sample.

An expectation is a status code or one of the redirects below. An unauthorised POST is
refused before its form is read, so an empty POST shows the access rule; an authorised one
answers with the form's errors (200 or 400) or does what it does (a redirect). Everything
runs in a savepoint rolled back after each request.

The admin's per-model pages are not listed: the matrix walks ``admin.site._registry`` and
expects the model permission (``ADMIN_OVERRIDES`` for where an admin class differs).
"""

from dataclasses import dataclass
from urllib.parse import quote

from django.http import HttpResponse

ROLES = ("anonymous", "reader", "owner", "other", "editor", "superuser")

OK = 200
CREATED = 201
BAD_REQUEST = 400
FORBIDDEN = 403
NOT_FOUND = 404
NOT_ALLOWED = 405
CONFLICT = 409


@dataclass(frozen=True)
class Redirect:
    """A redirect to an address starting with ``to`` (any address outside the sign-in
    pages when ``to`` is empty)."""

    name: str
    to: str = ""
    # A sign-in page's redirect comes back to the address asked for.
    then_back: bool = False
    exact: bool = False

    def matches(self, response: HttpResponse) -> bool:
        if response.status_code not in (301, 302, 303, 307, 308):
            return False
        location = response["Location"]
        if not self.to:
            return not location.startswith(("/accounts/login/", "/admin/login/"))
        if self.then_back:
            return location == self.to + quote(_asked(response), safe="/")
        return location == self.to if self.exact else location.startswith(self.to)


def _asked(response: HttpResponse) -> str:
    request = response.request
    query = request.get("QUERY_STRING", "")
    return request["PATH_INFO"] + (f"?{query}" if query else "")


LOGIN = Redirect("LOGIN", "/accounts/login/?next=", then_back=True)
ADMIN_LOGIN = Redirect("ADMIN_LOGIN", "/admin/login/?next=", then_back=True)
REDIRECT = Redirect("REDIRECT")
SIGN_IN = (LOGIN, ADMIN_LOGIN)


def redirect_to(path: str) -> Redirect:
    return Redirect(f"REDIRECT_TO {path}", path, exact=True)


TO_SIGN_IN = redirect_to("/accounts/login/")
Expectation = int | Redirect
# What each role gets, in the order of ROLES; None where that role is not asked.
Row = tuple[Expectation | None, ...]


def matches(expected: Expectation, response: HttpResponse) -> bool:
    if isinstance(expected, Redirect):
        return expected.matches(response)
    return response.status_code == expected


def expectation_name(expected: Expectation) -> str:
    return expected.name if isinstance(expected, Redirect) else str(expected)


def signed_in(answer: Expectation) -> Row:
    """Anonymous visitors sign in first; every signed-in role gets ``answer``."""
    return (LOGIN, answer, answer, answer, answer, answer)


def everyone(answer: Expectation) -> Row:
    """No sign-in asked (feeds, unsubscribe links, the health check, signing in)."""
    return (answer,) * 6


def editors(answer: Expectation, others: Expectation = FORBIDDEN) -> Row:
    return (LOGIN, others, others, others, answer, answer)


def advocates(answer: Expectation, others: Expectation = FORBIDDEN) -> Row:
    """Whoever may add content (advocates, editors, the superuser) gets ``answer``."""
    return (LOGIN, others, answer, answer, answer, answer)


def owner_only(answer: Expectation, others: Expectation) -> Row:
    return (LOGIN, others, answer, others, others, others)


def owner_and_editors(answer: Expectation, others: Expectation) -> Row:
    """The owner, editors and the superuser get ``answer``; the reader and the other
    advocate ``others``."""
    return (LOGIN, others, answer, others, answer, answer)


def same(row: Row, **others: Row) -> dict[str, Row]:
    """GET and POST alike (a view that reads no form, or refuses both)."""
    return {"GET": row, "POST": row, **others}


SIGNED_IN = signed_in(OK)


def get_only(row: Row, **others: Row) -> dict[str, Row]:
    """A view that answers GET alone: a POST is refused with a 405 (after sign-in, where
    the view asks for it)."""
    post = tuple(expected if expected in SIGN_IN else NOT_ALLOWED for expected in row)
    return {"GET": row, "POST": post, **others}


GET_ONLY = get_only(SIGNED_IN)


def page(row: Row) -> dict[str, Row]:
    """A page that takes a POST as a GET (no method check: the same code answers). Every
    role asks with GET; a POST is asked as the anonymous visitor and the reader, whose GET
    it repeats, since asking every role twice would render every page twice for nothing."""
    return {"GET": row, "POST": (row[0], row[1], None, None, None, None)}


PAGE = page(SIGNED_IN)


def post_only(row: Row) -> dict[str, Row]:
    return {"GET": signed_in(NOT_ALLOWED), "POST": row}


def content_kind_rules(namespace: str, **extra: dict) -> dict[str, dict]:
    """A kind's own pages (``kb.content.editing``): its list, create, detail and edit.
    Someone else's draft and anything in the trash are missing (404) to whoever may not
    edit them; a published item's edit page is refused (403) to those who may see it."""
    return {
        f"{namespace}:list": {"-": PAGE},
        f"{namespace}:create": {
            "-": same(advocates(OK)),
        },
        f"{namespace}:detail": {
            "published": PAGE,
            "draft": same(owner_and_editors(OK, NOT_FOUND)),
            "trash": same(signed_in(NOT_FOUND)),
        },
        f"{namespace}:edit": {
            "published": same(owner_and_editors(OK, FORBIDDEN)),
            "draft": same(owner_and_editors(OK, NOT_FOUND)),
            "trash": same(signed_in(NOT_FOUND)),
        },
        **{f"{namespace}:{name}": rules for name, rules in extra.items()},
    }


RULES: dict[str, dict[str, dict[str, Row]]] = {
    # Pages of the whole KB ------------------------------------------------------------------
    "home": {"-": PAGE},
    "tag_list": {"-": PAGE},
    "tag_detail": {"tag": PAGE},
    "tag_suggest": {"-?q=ma": GET_ONLY},
    "evidence_levels": {"-": GET_ONLY},
    "related": {
        "article-published": PAGE,
        "article-draft": same(owner_and_editors(OK, NOT_FOUND)),
        "article-trash": same(signed_in(NOT_FOUND)),
    },
    "markdown_preview": {"-": post_only(SIGNED_IN)},
    "healthz": {"-": get_only(everyone(OK))},
    # Browsers post CSP reports without a session or a CSRF token; an empty body is no report.
    "csp_report": {"-": {"GET": everyone(NOT_ALLOWED), "POST": everyone(BAD_REQUEST)}},
    # Feeds: the token is the key (a feed reader cannot sign in); a tampered or retired one,
    # or a collection that is not published, is missing.
    "latest_feed": {
        "feed": get_only(everyone(OK), HEAD=everyone(OK), PUT=everyone(NOT_ALLOWED)),
        "feed-tampered": get_only(everyone(NOT_FOUND)),
        "feed-reset": get_only(everyone(NOT_FOUND)),
    },
    "topic_feed": {
        "feed": get_only(everyone(OK)),
        "feed-tampered": get_only(everyone(NOT_FOUND)),
    },
    "department_feed": {"feed-department": get_only(everyone(OK))},
    "advocate_feed": {"feed-advocate": get_only(everyone(OK))},
    "collection_feed": {
        "feed-collection": get_only(everyone(OK)),
        "feed-collection-draft": get_only(everyone(NOT_FOUND)),
    },
    "feed_reset": {"-": post_only(signed_in(REDIRECT))},
    # Kinds of content ----------------------------------------------------------------------
    **content_kind_rules("casestudies"),
    **content_kind_rules(
        "research",
        export={"citation": PAGE},
        cite={
            "published": same(SIGNED_IN),
            "draft": same(owner_and_editors(OK, NOT_FOUND)),
        },
    ),
    **content_kind_rules(
        "articles",
        related_options={"-?field=related_research": GET_ONLY},
    ),
    **content_kind_rules(
        "experiments",
        promote={
            "published": post_only(owner_and_editors(REDIRECT, FORBIDDEN)),
            "draft": post_only(owner_and_editors(REDIRECT, NOT_FOUND)),
            "trash": post_only(signed_in(NOT_FOUND)),
        },
    ),
    **content_kind_rules(
        "collections",
        # A step is marked for the signed-in reader alone: nobody addresses another's progress.
        step={
            "path": post_only(signed_in(REDIRECT)),
            "brief-row-on-path": post_only(signed_in(NOT_FOUND)),
        },
        share={
            "path": post_only(signed_in(REDIRECT)),
            "published": post_only(signed_in(NOT_FOUND)),
            "draft": post_only(owner_and_editors(NOT_FOUND, NOT_FOUND)),
        },
        markdown={
            "published": GET_ONLY,
            "draft": get_only(owner_and_editors(OK, NOT_FOUND)),
        },
        pdf={
            "published": GET_ONLY,
            "draft": get_only(owner_and_editors(OK, NOT_FOUND)),
        },
    ),
    **content_kind_rules("findings"),
    # Shared content pages: history, workflow, freshness, comments ----------------------------
    "revisions:history": {
        "article-published": same(owner_and_editors(OK, FORBIDDEN)),
        "article-draft": same(owner_and_editors(OK, NOT_FOUND)),
        "article-trash": same(signed_in(NOT_FOUND)),
    },
    "revisions:compare": {
        "article-published?from=1&to=2": same(owner_and_editors(OK, FORBIDDEN)),
        "article-draft?from=1&to=2": same(owner_and_editors(OK, NOT_FOUND)),
    },
    "revisions:restore": {
        "article-published": post_only(owner_and_editors(REDIRECT, FORBIDDEN)),
        "article-draft": post_only(owner_and_editors(REDIRECT, NOT_FOUND)),
        "article-trash": post_only(signed_in(NOT_FOUND)),
    },
    "workflow:my_work": {"-": PAGE},
    "workflow:review_queue": {"-": page(editors(OK))},
    "workflow:trash": {"-": PAGE},
    "workflow:action": {
        "article-published": {
            "GET": owner_and_editors(OK, NOT_FOUND),
            "POST": owner_and_editors(REDIRECT, NOT_FOUND),
        },
        "article-draft": {
            "GET": owner_and_editors(OK, NOT_FOUND),
            "POST": owner_and_editors(REDIRECT, NOT_FOUND),
        },
        "article-trash": {
            "GET": owner_and_editors(OK, NOT_FOUND),
            "POST": owner_and_editors(REDIRECT, NOT_FOUND),
        },
    },
    "freshness:overdue": {"-": get_only(editors(OK))},
    "freshness:verify": {
        "article-published": post_only(owner_and_editors(REDIRECT, FORBIDDEN)),
        "article-draft": post_only(owner_and_editors(REDIRECT, NOT_FOUND)),
    },
    "comments:post": {
        "article-published": post_only(SIGNED_IN),
        "article-draft": post_only(owner_and_editors(OK, NOT_FOUND)),
    },
    # Only the author edits or deletes a comment, for a short while: editors hide it.
    "comments:edit": {
        "comment": {
            "GET": (LOGIN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN),
            "POST": (LOGIN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN),
            "PUT": signed_in(NOT_ALLOWED),
        },
        "comment-on-draft": same((LOGIN, NOT_FOUND, OK, NOT_FOUND, FORBIDDEN, FORBIDDEN)),
    },
    "comments:delete": {
        "comment": {
            "GET": (LOGIN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN),
            "POST": (LOGIN, FORBIDDEN, REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN),
            "DELETE": signed_in(NOT_ALLOWED),
        },
    },
    "comments:hide": {"comment": post_only(editors(OK))},
    "comments:unhide": {"hidden-comment": post_only(editors(REDIRECT))},
    # People, departments, platforms, sources --------------------------------------------------
    "advocates:list": {"-": PAGE},
    "advocates:detail": {"advocate": PAGE},
    # Readers keep no profile; advocates edit their own, editors may start one.
    "advocates:edit_own": {"-": same((LOGIN, FORBIDDEN, OK, OK, OK, OK))},
    "departments:list": {"-": PAGE},
    "departments:detail": {"department": PAGE},
    "departments:dashboard": {"-": page(editors(OK))},
    "departments:dashboard_csv": {"department": page(editors(OK))},
    "departments:record_stage": {"department": post_only(editors(BAD_REQUEST))},
    "platforms:list": {"-": PAGE},
    "platforms:detail": {"platform": PAGE},
    "sources:list": {"-": PAGE},
    "sources:detail": {"source": PAGE},
    # Following and digests ----------------------------------------------------------------
    "follows:following": {"-": get_only(SIGNED_IN, HEAD=SIGNED_IN)},
    "follows:digest": {"-": post_only(signed_in(BAD_REQUEST))},
    "follows:follow": {"platform": post_only(signed_in(REDIRECT))},
    # Only what one follows can be unfollowed: the owner follows the platform.
    "follows:unfollow": {"platform": post_only(owner_only(REDIRECT, NOT_FOUND))},
    # The signed link is the authority, whoever follows it (a mail program cannot sign in).
    "follows:unsubscribe": {
        "unsubscribe": {"GET": everyone(OK), "POST": everyone(OK), "PUT": everyone(NOT_ALLOWED)},
        "unsubscribe-tampered": same(everyone(BAD_REQUEST)),
    },
    # Ask an advocate ------------------------------------------------------------------------
    "questions:list": {"-": PAGE},
    "questions:ask": {"-": {"GET": SIGNED_IN, "POST": signed_in(BAD_REQUEST)}},
    # A private question is the asker's (the owner's) and the advocates asked (the other).
    "questions:detail": {
        "question": PAGE,
        "private-question": same((LOGIN, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND)),
    },
    "questions:route": {
        "question": {
            "GET": (LOGIN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN),
            "POST": (LOGIN, FORBIDDEN, BAD_REQUEST, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        },
        "private-question": {
            "GET": (LOGIN, NOT_FOUND, OK, FORBIDDEN, NOT_FOUND, NOT_FOUND),
            "POST": (LOGIN, NOT_FOUND, BAD_REQUEST, FORBIDDEN, NOT_FOUND, NOT_FOUND),
        },
    },
    "questions:answer": {
        "question": post_only(signed_in(BAD_REQUEST)),
        # Nobody answers a question an editor hid.
        "hidden-question": post_only(signed_in(FORBIDDEN)),
        "private-question": post_only(
            (LOGIN, NOT_FOUND, BAD_REQUEST, BAD_REQUEST, NOT_FOUND, NOT_FOUND)
        ),
    },
    "questions:answered": {
        "question": post_only((LOGIN, FORBIDDEN, REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
        "private-question": post_only(
            (LOGIN, NOT_FOUND, REDIRECT, FORBIDDEN, NOT_FOUND, NOT_FOUND)
        ),
    },
    "questions:delete": {
        "question": post_only(owner_and_editors(REDIRECT, FORBIDDEN)),
        "private-question": post_only(
            (LOGIN, NOT_FOUND, REDIRECT, FORBIDDEN, NOT_FOUND, NOT_FOUND)
        ),
    },
    "questions:moderate": {
        "question": post_only(editors(REDIRECT)),
        "private-question": post_only(
            (LOGIN, NOT_FOUND, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND)
        ),
    },
    # The answer is the other advocate's, on the owner's question.
    "questions:most_useful": {
        "answer": post_only((LOGIN, FORBIDDEN, REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN))
    },
    "questions:answer_delete": {
        "answer": post_only((LOGIN, FORBIDDEN, FORBIDDEN, REDIRECT, FORBIDDEN, FORBIDDEN))
    },
    "questions:answer_moderate": {"answer": post_only(editors(REDIRECT))},
    "questions:answer_article": {
        "answer": post_only((LOGIN, FORBIDDEN, FORBIDDEN, REDIRECT, FORBIDDEN, FORBIDDEN))
    },
    # Search, notifications, uploads ----------------------------------------------------------
    "search:results": {"-?q=matrix": get_only(SIGNED_IN, HEAD=signed_in(NOT_ALLOWED))},
    "search:suggest": {"-?q=mat": GET_ONLY},
    "notifications:list": {"-": PAGE},
    # Someone else's notification is missing, not forbidden.
    "notifications:open": {"notification": same(owner_only(REDIRECT, NOT_FOUND))},
    "notifications:mark_all_read": {"-": post_only(signed_in(REDIRECT))},
    "uploads:image_create": {
        "-": post_only((LOGIN, FORBIDDEN, BAD_REQUEST, BAD_REQUEST, BAD_REQUEST, BAD_REQUEST))
    },
    # Uploads (MEDIA_URL) are served to signed-in users only, and only files the KB recorded.
    "uploads:file": {
        "upload": get_only(SIGNED_IN, HEAD=SIGNED_IN),
        "upload-unknown": get_only(signed_in(NOT_FOUND)),
        "upload-outside": get_only(signed_in(NOT_FOUND)),
    },
    # Signing in and out --------------------------------------------------------------------
    "login": {"-": same(everyone(OK))},
    # Signing out is a POST; it ends at the sign-in page.
    "logout": {"-": {"GET": signed_in(NOT_ALLOWED), "POST": signed_in(TO_SIGN_IN)}},
    "password_change": {"-": same(SIGNED_IN)},
    "password_change_done": {"-": GET_ONLY},
}

# HEAD, PUT and DELETE on a sample: the edit page answers them as a GET (only a POST
# saves), after the same checks; HEAD is a GET without its body.
RULES["articles:edit"]["published"] |= {
    "PUT": owner_and_editors(OK, FORBIDDEN),
    "DELETE": owner_and_editors(OK, FORBIDDEN),
}
RULES["articles:detail"]["draft"] |= {"HEAD": owner_and_editors(OK, NOT_FOUND)}

# The admin ------------------------------------------------------------------------------


TO_ADMIN = redirect_to("/admin/")


def staff(
    answer: Expectation, editor: Expectation | None = None, anonymous: Expectation = ADMIN_LOGIN
) -> Row:
    """The admin sends whoever is not staff to its own sign-in page (an anonymous visitor
    to the site's, on the pages the admin does not exempt from LoginRequiredMiddleware)."""
    editor = answer if editor is None else editor
    return (anonymous, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, editor, answer)


ADMIN_RULES: dict[str, dict[str, dict[str, Row]]] = {
    "admin:index": {"-": same(staff(OK))},
    "admin:app_list": {"app": same(staff(OK))},
    # Signed in but not staff: the sign-in page says so; staff go on to the index.
    "admin:login": {"-": {"GET": (OK, OK, OK, OK, REDIRECT, REDIRECT), "POST": everyone(OK)}},
    # Signing out of the admin is a POST, to the site's sign-in page; who is not staff is
    # sent to the admin's index (and from there to sign in).
    "admin:logout": {
        "-": {
            "GET": (ADMIN_LOGIN, TO_ADMIN, TO_ADMIN, TO_ADMIN, NOT_ALLOWED, NOT_ALLOWED),
            "POST": (ADMIN_LOGIN, TO_ADMIN, TO_ADMIN, TO_ADMIN, TO_SIGN_IN, TO_SIGN_IN),
        }
    },
    "admin:password_change": {"-": same(staff(OK))},
    "admin:password_change_done": {"-": get_only(staff(OK))},
    "admin:jsi18n": {"-": get_only(staff(OK))},
    # Without a field to complete, the autocomplete refuses.
    "admin:autocomplete": {"-": get_only(staff(FORBIDDEN))},
    "admin:view_on_site": {"view-on-site": same(staff(REDIRECT))},
    # Only whoever may change users sets a password.
    "admin:auth_user_password_change": {
        "admin-user": same(staff(OK, editor=FORBIDDEN, anonymous=LOGIN))
    },
    "admin:research_researchlink_import": {"-": same(staff(OK, anonymous=LOGIN))},
    # An address the admin does not know.
    "admin/(?P<url>.*)$": {"/admin/no-such-page/": same(staff(NOT_FOUND))},
}
RULES.update(ADMIN_RULES)


# Each registered model's pages, covered generically by walking admin.site._registry.
ADMIN_VIEWS = ("changelist", "add", "change", "delete", "history")
# Who is not staff never reaches a model's admin pages: an anonymous visitor is sent to
# sign in to the site (LoginRequiredMiddleware exempts only the admin's index and sign-in),
# a signed-in one to the admin's sign-in. The other advocate would take the owner's path.
ADMIN_NON_STAFF: dict[str, dict[str, Expectation]] = {
    "anonymous": {"GET": LOGIN},
    "reader": {"GET": ADMIN_LOGIN, "POST": ADMIN_LOGIN},
    "owner": {"GET": ADMIN_LOGIN},
}
# Where an admin class answers otherwise than the model permission: (model, view) → role →
# what it gets. Logs written by the KB itself take no additions, even from a superuser.
ADMIN_OVERRIDES: dict[tuple[str, str], dict[str, Expectation]] = {
    (log, "add"): {"editor": FORBIDDEN, "superuser": FORBIDDEN}
    for log in (
        "follows.digest",
        "freshness.verification",
        "notifications.notification",
        "revisions.revision",
        "uploads.image",
        "workflow.transition",
        # django-axes's records of sign-ins are made by signing in, never by hand.
        "axes.accessattempt",
        "axes.accessfailurelog",
        "axes.accesslog",
    )
}
