"""Social platforms (LinkedIn, Instagram, internal blog…) used to filter and facet content."""
