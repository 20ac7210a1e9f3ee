"""Case studies: what an organisation did on social media, and the measured outcome."""
