"""The world: the Mesa model, its agents, the daily processes and the record it lives through."""
