"""The web dashboard for TAMs, vCIOs and the standards committee: server-rendered pages over
the read models, with htmx for in-place updates and Chart.js for charts, both vendored as static
files (no front-end build step). Writes go through the same command handlers as the API."""
