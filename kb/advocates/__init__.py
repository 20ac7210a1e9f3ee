"""Departments and advocate profiles: who champions social media, and how to reach them."""
