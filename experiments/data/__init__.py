"""Scripts that build the shipped data tables from their public sources (not needed at run time)."""
