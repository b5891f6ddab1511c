"""APScheduler jobs: the deadline sweep and cron-like schedules; jobs call core."""
