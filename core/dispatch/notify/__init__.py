"""Every notice of the dispatch chain: the use cases change state and write the audit, then hand
the domain objects here. No other dispatch module knows a template or its parameters
(tests/house/test_notices_owner.py)."""
