"""Research links: studies, reports and surveys from reputable sources, one entry per URL."""
