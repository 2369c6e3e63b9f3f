"""The calibration fits, one module each, in the order they are run: ranking (the states'
ranking), baseline (the national scale), record (the record's mechanisms), wave (the day-0 wave);
report writes their sections of docs/calibration.md. The commands are experiments/calibrate_*.py."""
