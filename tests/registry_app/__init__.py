"""A kind of content that exists only in the tests: findings, declared as a new app would."""
