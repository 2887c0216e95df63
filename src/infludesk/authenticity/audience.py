"""Audience quality: the estimated share of real followers from a follower sample (pure)."""
