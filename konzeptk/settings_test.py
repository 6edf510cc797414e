"""Settings for the test suite: the production settings with fast hashing and no HTTPS redirect."""

import os

os.environ.setdefault("KONZEPTK_HTTPS", "0")
os.environ.setdefault(
    "KONZEPTK_DATA_DIR", os.path.join(os.path.dirname(os.path.dirname(__file__)), "var", "test")
)

from konzeptk.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "signup": "1000/h/ip",
    "reset_password": "1000/h/ip",
}
CELERY_TASK_ALWAYS_EAGER = True
# django-ratelimit's limits (konzeptk/core/ratelimits.py) are off in tests that do not ask for them:
# many tests write more often than a person would. core/tests/test_ratelimits*.py switch them on,
# and the tests with two server processes run the production settings. allauth's limits stay on.
RATELIMIT_ENABLE = False
# Indicator refreshes asked for by page views are not run in a thread during tests (it would race the
# test's transaction); tests call konzeptk.strategy.background.run() or switch the mode themselves.
STRATEGY_REFRESH = "off"
# Queued mails are sent right after the commit in the committing process (konzeptk/notifications/
# background.py), so a test sees them in mail.outbox; tests of the job itself switch the mode.
NOTIFICATIONS_SEND = "inline"
# Alerts of the city's rules reach their subscribers right after the commit (konzeptk/resilience/fanout.py).
RESILIENCE_FANOUT = "inline"
SENSING_FOLD = "inline"  # CreateObservations visible with the answer (tests of the fold switch to "celery")
# The home page asks the rooms on every visit in tests (the kept answer would outlive a test's data);
# core/tests/test_front_door.py switches the minute on to test it.
KONZEPTK_FRONT_DOOR_SECONDS = 0
