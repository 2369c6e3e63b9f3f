"""The model's daily processes as plain functions on arrays, each testable on a hand-built world."""
