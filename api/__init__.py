"""The HTTP API: translates requests into commands and view queries, and nothing more.

``build_app`` (in ``api.app``) receives the wired ``Services``; nothing here builds or connects
anything at import time.
"""
