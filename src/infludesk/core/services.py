"""Writes for core: every change goes through a function here (see STYLE.md)."""
