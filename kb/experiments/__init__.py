"""Experiments: small, measured trials that advocates log, failures as welcome as successes."""
