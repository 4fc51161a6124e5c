"""Who may open the knowledge pages of this part (see access_expectations.py)."""

EXPECTATIONS: dict = {}
