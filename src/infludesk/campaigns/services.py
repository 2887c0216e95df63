"""Writes for campaigns: every change goes through a function here (see STYLE.md)."""
