"""The content lifecycle, where a content app finds it: its create and edit pages
(``editing.content_form_views``) and its admin (``admin.ContentAdmin``).

Both run on the same services, so the site and the admin agree on every rule:
``kb.revisions.services`` saves (the version check, the trash check, a revision per save)
and ``kb.workflow.services`` moves items between states (submit, publish, trash, …). Not an
app: it has no models, templates or URLs of its own.
"""
