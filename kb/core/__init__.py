"""Shared building blocks: content base model, Markdown rendering, permission rules."""
