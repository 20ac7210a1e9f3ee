"""The search migrations carry the SQL of their day, and the database they build is the
one the backend's code expects today: change the backend's install code and this fails
until a migration brings existing databases along."""

import ast
from pathlib import Path

from django.db import connection

from kb.search.backends import get_backend

MIGRATIONS = Path(__file__).resolve().parents[2] / "kb" / "search" / "migrations"


class Recorder:
    """Stands in for a schema editor: keeps the statements instead of running them."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def execute(self, sql: str) -> None:
        self.statements.append(sql)


def test_no_search_migration_imports_live_code() -> None:
    for path in sorted(MIGRATIONS.glob("0*.py")):
        tree = ast.parse(path.read_text())
        imported = [
            node.module if isinstance(node, ast.ImportFrom) else alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in node.names
        ]
        assert not [name for name in imported if name and name.startswith("kb")], path.name


def test_the_migrated_full_text_structures_are_those_the_backend_installs_today(db) -> None:
    recorder = Recorder()
    get_backend().install(recorder)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL")
            migrated = {row[0] for row in cursor.fetchall()}
            expected = {sql for sql in recorder.statements if sql.startswith("CREATE")}
            assert expected <= migrated
        else:
            cursor.execute(
                "SELECT prosrc FROM pg_proc WHERE proname LIKE 'search_vector_%' ORDER BY proname"
            )
            functions = [row[0] for row in cursor.fetchall()]
            expected = sorted(
                sql.split("$$")[1]
                for sql in recorder.statements
                if sql.startswith("CREATE FUNCTION")
            )
            assert sorted(functions) == expected
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'search_vector_%' ORDER BY 1"
            )
            triggers = [row[0] for row in cursor.fetchall()]
            assert triggers == sorted(
                sql.split()[2] for sql in recorder.statements if sql.startswith("CREATE TRIGGER")
            )
            cursor.execute(
                "SELECT prosrc, proconfig FROM pg_proc WHERE proname LIKE 'search_match%'"
            )
            (matching,) = cursor.fetchall()
            assert [
                (sql.split("$$")[1], ["enable_seqscan=off"])
                for sql in recorder.statements
                if "FUNCTION search_match_ids" in sql
            ] == [matching]
            cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'search_%'")
            indexes = {row[0] for row in cursor.fetchall()}
            assert {
                sql.split()[5] for sql in recorder.statements if sql.startswith("CREATE INDEX")
            } <= indexes
