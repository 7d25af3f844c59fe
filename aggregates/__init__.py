"""Aggregates: the consistency boundaries (``Client``, ``Standard``) that decide which events happen."""
