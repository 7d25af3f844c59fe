"""Read models built from the event log, each in its own PostgreSQL schema generation.

A projection's rows and its tracking position are written in one transaction, so each event is
applied exactly once across crashes; rebuilding writes a new generation aside and swaps it in.
"""
