"""Letters, notifications and other documents of a deal."""
