"""Search tests index on every write, as a committed transaction would."""

import types

import pytest

from kb.search import signals


@pytest.fixture(autouse=True)
def index_immediately(monkeypatch, db):
    """Tests run inside a transaction that never commits; run the on-commit sync at once."""
    monkeypatch.setattr(
        signals, "transaction", types.SimpleNamespace(on_commit=lambda func, *a, **k: func())
    )
