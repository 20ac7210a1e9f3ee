"""The pages that bring every content type together: home, tag pages, demo data loading."""
