"""The admin of resilience: each part registers its models in its own module."""

from konzeptk.resilience import heat_admin  # noqa: F401  (cool places)
