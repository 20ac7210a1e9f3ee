"""Sign-in pages and the roles (Reader, Advocate, Editor) as groups with permissions."""
