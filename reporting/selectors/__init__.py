"""Reads of the reporting app: ``submissions`` (a submission and its values, the
review queue, the completeness grid, notifications) and ``dashboards`` (the figures
of the roll-up as the steering committee, the DIC and the ranking read them)."""
