"""Thin entry point: the harness lives in dojo/ (run → watch → judge → report)."""
pytest_plugins = ["dojo.plugin"]
