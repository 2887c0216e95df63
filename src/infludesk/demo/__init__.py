"""Deterministic demo data (see generator.py)."""
