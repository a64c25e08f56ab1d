"""Insight for leadership and the organisation department, computed in the database from the
pipeline's events: where dossiers wait (aging), what became of each year's source pool
(cohorts), whether the target will be reached (forecast), and which units lag (units).

`sql` holds what they share: working days counted from the calendar in SQL, percentiles on
SQLite and PostgreSQL alike, and the stints (one row per time a dossier entered a stage)."""
