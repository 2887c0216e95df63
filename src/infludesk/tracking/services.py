"""Writes for tracking: every change goes through a function here (see STYLE.md)."""
