"""Articles written by advocates, linking the case studies and research they draw on."""
