"""Dashboards of the privacy office: retention, mail, breach notices (being built)."""
