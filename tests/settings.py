"""The project's settings plus a content app that exists only in the tests.

``tests.registry_app`` declares a kind of content the way a new app would, to prove that
navigation, home, topic pages, the feed, comments, uploads, roles and search take it in
with no code of theirs naming it.
"""

from config.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.registry_app"]  # noqa: F405
ROOT_URLCONF = "tests.urls"

# The read-replica router's tests read the test database through a second connection as
# if it were a replica (databases=["default", "replica"], KB_READ_REPLICAS=["replica"]);
# with KB_READ_REPLICAS empty, no other test ever reaches it.
DATABASES = {  # noqa: F405
    **DATABASES,  # noqa: F405
    "replica": {**DATABASES["default"], "TEST": {"MIRROR": "default"}},  # noqa: F405
}
