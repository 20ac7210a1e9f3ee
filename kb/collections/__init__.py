"""Collections: evidence briefs and learning paths assembled from items of any kind."""
