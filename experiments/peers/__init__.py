"""The peer models' commands; the models and the comparison are in sim/analysis/peers/."""
