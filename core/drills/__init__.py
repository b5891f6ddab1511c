"""Drills (演练, seed §3b-3) and unannounced inspections of duty (不定期督导检查, §5(三))."""
