"""Early warnings (预警): issue, confirm, remind, report, upgrade, cancel."""
