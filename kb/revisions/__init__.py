"""Revisions of content: every save is kept, any two can be compared, any one restored,
and an edit based on an out-of-date version is a conflict rather than an overwrite."""
