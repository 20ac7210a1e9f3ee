"""Ask an advocate: questions routed to the advocates who match them, answered in a thread."""
