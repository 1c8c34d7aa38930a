"""Put on PYTHONPATH of every learner run only: instruments each interpreter.

Spawn and forkserver children are fresh interpreters; this file is how the
harness reaches them before any learner code runs.
"""
import os

if os.environ.get("DOJO_RUN_DIR"):
    from dojo import instrument

    instrument.install()
