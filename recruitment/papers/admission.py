"""The papers of the admission steps before the decision: the source-pool list, the helper's
assignment, 2-KNĐ … 8-KNĐ (1-KNĐ and 9-KNĐ are in builders.py)."""
