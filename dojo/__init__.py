"""Deadlock Dojo: the harness (run → watch → judge → report) and the kata table."""
