"""The annual scheduler: cadence rules, planning, jobs, and the APScheduler process that runs them."""
