"""Writing an uploaded file so that a failure leaves nothing behind.

The media folder can be read-only (a remounted volume, wrong permissions after a restore)
or full. Django's FileSystemStorage then raises OSError, and a disk that fills up halfway
through a file leaves that half on disk. ``store`` removes whatever was partly written and
raises ``NotStored`` with a message for the person uploading; callers store the file before
the row that names it, inside the same attempt, so no row ever points at a missing file.
"""

import errno
import logging

from django.core.files import File
from django.core.files.storage import Storage

logger = logging.getLogger(__name__)

NOT_STORED = (
    "The image could not be stored: the KB's file storage is {reason} at the moment. "
    "Nothing was saved. Try again later, and tell the KB's administrators if it keeps "
    "happening."
)
REASONS = {errno.ENOSPC: "full", errno.EDQUOT: "full", errno.EROFS: "read-only"}


class NotStored(Exception):
    """The file could not be written; nothing of it is left in the storage."""

    def __init__(self, error: OSError) -> None:
        reason = REASONS.get(error.errno or 0, "not accepting files")
        if isinstance(error, PermissionError):
            reason = "read-only"
        super().__init__(NOT_STORED.format(reason=reason))


def store(storage: Storage, name: str, content: File, *, max_length: int | None = None) -> str:
    """Save ``content`` as ``name`` (or a free variant of it); the name it was saved as.

    Raises NotStored, having removed any part of the file already written."""
    name = storage.get_available_name(name, max_length=max_length)
    try:
        return storage.save(name, content, max_length=max_length)
    except OSError as error:
        logger.error("Could not store the upload %s: %s", name, error)
        discard(storage, name)
        raise NotStored(error) from error


def discard(storage: Storage, name: str) -> None:
    """Remove a file this request stored or began to store; log, never raise, on failure
    (an orphan file is served to no one: only names a row records are)."""
    try:
        storage.delete(name)
    except OSError as error:
        logger.error("Could not remove the unsaved upload %s: %s", name, error)
