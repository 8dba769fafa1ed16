"""Reporting periods, submissions and values arrive with the reporting workflow."""
