"""A cheap argon2 for the test suite only (settings use it when running under pytest).

Django's argon2 defaults (100 MiB, 2 passes, 8 lanes) take about half a second per hash on
the project's two-core machines, and every test user and sign-in hashes once. Tests keep the
same algorithm and encoding with the smallest cost, so the code paths are the real ones.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 64
    parallelism = 1
