"""Insight for the people who plan: every figure through one disclosure-controlled route
(``InsightService.publication``), with tables, CSV exports, charts and intervention groups."""
