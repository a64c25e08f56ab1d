"""Candidates and the admission pipeline (built on the organisation tree of `members`)."""
