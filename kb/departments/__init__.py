"""Where each department stands: its page, its adoption stage and the history of it, and
the adoption dashboard that shows the shift month by month."""
