"""Publishers that research and case studies come from, with the editors' rating of each."""
