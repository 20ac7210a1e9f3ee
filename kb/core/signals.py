"""Signals the shared parts of the KB send, declared in one place.

``item_read``: a kind of content's detail page was shown to a signed-in user; sent by the
kind's own view with ``item`` and ``user``. Apps that count or react to reads connect to
it, so no content app names them.
"""

from django.dispatch import Signal

item_read = Signal()
