"""Writes for creators: every change goes through a function here (see STYLE.md)."""
