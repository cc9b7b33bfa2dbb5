"""The pipeline: resolve participants to emails, one cycle of every step, the daemon, lookups
and corrections."""
