"""APScheduler jobs: the deadline sweep and cron-like schedules. Jobs take only ids and call core."""
