"""The dispatch chain: incidents, plans, the bureau's approval, orders, escalation."""
