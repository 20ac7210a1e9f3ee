"""The settings of several app servers: Redis for the cache and sessions, and read
replicas, each named by one environment variable."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SHOW = """
import json
import os
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
import config.settings as s
from django.core.cache import caches
print(json.dumps({
    "cache": s.CACHES["default"]["BACKEND"],
    # Each cache's client, made as on first use (its library imported; no connection yet).
    "clients": sorted({type(caches[alias]._cache).__name__ for alias in s.CACHES}),
    "sessions": getattr(s, "SESSION_ENGINE", "django.contrib.sessions.backends.db"),
    "replicas": s.KB_READ_REPLICAS,
    "hosts": [s.DATABASES[alias]["HOST"] for alias in s.KB_READ_REPLICAS],
    "mirrors": [s.DATABASES[alias]["TEST"] for alias in s.KB_READ_REPLICAS],
    "routers": s.DATABASE_ROUTERS,
}))
"""


def settings_with(**env: str) -> dict:
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DATABASE_REPLICA_URL"}
    }
    result = subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env={**clean, "DEBUG": "true", "DATABASE_URL": "sqlite:///:memory:", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_one_server_keeps_its_cache_in_memory_and_sessions_in_the_database() -> None:
    found = settings_with()
    assert found["cache"].endswith("LocMemCache")
    assert found["clients"] == ["OrderedDict"]  # the default's and the rate limits'
    assert found["sessions"] == "django.contrib.sessions.backends.db"
    assert found["replicas"] == []


def test_with_redis_the_cache_and_sessions_are_shared_by_every_app_server() -> None:
    found = settings_with(REDIS_URL="redis://cache.internal:6379/0")
    assert found["cache"] == "django.core.cache.backends.redis.RedisCache"
    # Its client library is installed with the KB: setting REDIS_URL needs nothing more.
    assert found["clients"] == ["RedisCacheClient"]
    assert found["sessions"] == "django.contrib.sessions.backends.cached_db"


def test_each_replica_url_becomes_a_database_the_router_reads_from() -> None:
    found = settings_with(
        DATABASE_REPLICA_URL="postgres://kb@replica-a:5432/kb, postgres://kb@replica-b:5432/kb"
    )
    assert found["replicas"] == ["replica1", "replica2"]
    assert found["hosts"] == ["replica-a", "replica-b"]
    # A test run never connects to a real replica: it reads the test database instead.
    assert found["mirrors"] == [{"MIRROR": "default"}] * 2
    assert found["routers"] == ["kb.core.routers.PrimaryReplicaRouter"]
