"""The composition root: settings, the database, and the factories that wire the parts together.

Nothing here runs at import time; ``build_*`` functions assemble the application on demand.
"""
