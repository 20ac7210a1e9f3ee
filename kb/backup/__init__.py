"""Whole-KB backups: `export_kb` writes one archive, `import_kb` restores it into an empty
database, on either database engine (see docs/deploy.md, "Backups and restore")."""
