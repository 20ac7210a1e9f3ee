"""Upload tests store files in a temporary MEDIA_ROOT."""

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def media_root(media_root: Path) -> Path:
    """Every upload test stores its files in the test's own folder."""
    return media_root
