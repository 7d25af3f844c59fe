"""Kafka at the edges of the ledger: the relay that publishes the event log, projections fed
from Kafka, and the inbound topic that turns outside tools' messages into commands.

Nothing here is built at import time; ``runtime.streaming_cli`` wires the parts from settings.
"""
