"""The editorial workflow: draft → submitted → published / changes requested → unpublished,
plus the trash. Every move is a recorded Transition (who, when, comment)."""
