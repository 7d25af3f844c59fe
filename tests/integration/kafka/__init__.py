"""Streaming tests against a real Kafka-protocol broker."""

import warnings

# kafka-python 3.0 loads its protocol schemas through importlib.resources' legacy API
warnings.filterwarnings("ignore", message="(read|open)_text is deprecated",
                        category=DeprecationWarning)
