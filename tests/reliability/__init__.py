"""Reliability: the fault soak, fuzzing, secrets, path injection and hygiene (issue 9)."""
