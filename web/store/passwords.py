"""How passwords are kept: argon2id with OWASP's minimum parameters (Password Storage Cheat Sheet: 19 MiB, two
passes, one lane) instead of Django's (100 MiB, two passes, eight lanes). Django's cost ~200 ms of CPU and 100 MiB
per login on a two-core server, so a handful of simultaneous logins stall every page and can exhaust memory;
login attempts are throttled besides. Hashes made with other parameters still verify and are re-hashed with these
at the user's next login (Django's `must_update`)."""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
