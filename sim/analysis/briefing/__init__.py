"""The briefing pack's text: comparisons (paired changes, bands, shares of worlds), its sections
and the summary that orders them; `experiments/briefing.py` runs the ensemble and writes the pack."""
