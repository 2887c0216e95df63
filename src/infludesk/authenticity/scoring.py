"""Explained authenticity score 0-100 from separate signals (pure: no Django)."""
