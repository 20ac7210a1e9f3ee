"""Search benchmark: a realistic synthetic KB, timed through the site's public paths.

- ``corpus``: the generator (every registered kind of content, free-form Zipf tags,
  owners, departments, platforms, drafts, scheduled items and an edit history);
- ``readonly``: the fixed query mix through the search page, against a naive baseline;
- ``load``: gunicorn workers driven over loopback by concurrent clients, with writes
  through the edit form and the time until each write is findable from every worker.

Used by `manage.py bench_search` (and `make bench`). It prints tables; it asserts nothing.
It reaches search only through the search page, the content models' own saves and
`manage.py rebuild_search_index`, so it measures whatever the search app does inside.
"""
