"""Search tests index on every write, as a committed transaction would."""

import pytest

from kb.search import signals
from tests.conftest import ON_COMMIT_AT_ONCE


@pytest.fixture(autouse=True)
def index_immediately(monkeypatch, db):
    """Tests run inside a transaction that never commits; run the on-commit sync at once."""
    monkeypatch.setattr(signals, "transaction", ON_COMMIT_AT_ONCE)
