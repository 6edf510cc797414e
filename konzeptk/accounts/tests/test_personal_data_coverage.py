"""Every installed model that may hold personal data is in the export registry and the erasure
registry, or is declared (with a reason) to hold none. A new model with a link to a person, an
e-mail address, a free text or an upload fails here until its app registers it."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

from konzeptk.accounts.erasure_registry import erased_models
from konzeptk.accounts.export_registry import exported_models, models_without_personal_data

#: a CharField this long without choices is free text someone typed (titles, addresses, names)
FREE_TEXT_MIN_LENGTH = 100


def personal_data_signals(model: type[models.Model]) -> list[str]:
    """Why ``model`` may hold personal data: its fields that link to a person, hold an address, a
    free text (long CharField without choices, TextField, JSON) or an uploaded file."""
    user_model = get_user_model()
    signals = []
    for field in model._meta.get_fields():
        if not getattr(field, "concrete", False):
            continue
        if field.is_relation and field.related_model is user_model:
            signals.append(f"link to a person: {field.name}")
        elif isinstance(field, models.EmailField):
            signals.append(f"e-mail address: {field.name}")
        elif isinstance(field, models.FileField):
            signals.append(f"upload: {field.name}")
        elif isinstance(field, (models.TextField, models.JSONField)) or (
            isinstance(field, models.CharField)
            and not isinstance(field, (models.SlugField, models.URLField))
            and not field.choices
            and (field.max_length or 0) >= FREE_TEXT_MIN_LENGTH
        ):
            signals.append(f"free text: {field.name}")
    return signals


def _models_with_signals() -> dict[str, list[str]]:
    found = {}
    for model in apps.get_models():
        signals = personal_data_signals(model)
        if signals:
            found[model._meta.label] = signals
    return found


def test_the_signals_find_what_the_issue_named():
    found = _models_with_signals()
    for label in (
        "participation.Idea",
        "participation.Comment",
        "participation.Support",
        "ballots.Vote",
        "surveys.Answer",
        "accounts.Verification",
        "notifications.NotificationSetting",
        "notifications.Mail",
        "participation.Follow",
        "servicedesk.Report",
        "servicedesk.Follower",
        "account.EmailAddress",
        "insights.DemographicProfile",
    ):
        assert label in found, label


def test_every_model_with_personal_data_is_exported_and_erased_or_declared():
    exported, erased = exported_models(), erased_models()
    declared = models_without_personal_data()
    missing = []
    for label, signals in sorted(_models_with_signals().items()):
        if label in declared:
            continue
        gaps = [name for name, covered in (("export", exported), ("erasure", erased)) if label not in covered]
        if gaps:
            missing.append(f"{label} ({', '.join(signals)}): not in {' and '.join(gaps)}")
    assert not missing, "Register these in the app's exports.py / erasure.py:\n" + "\n".join(missing)


def test_registrations_name_real_models_and_do_not_contradict():
    installed = {model._meta.label for model in apps.get_models()}
    exported, erased = exported_models(), erased_models()
    declared = models_without_personal_data()
    assert not (exported | erased | set(declared)) - installed
    assert not (exported | erased) & set(declared), "a model cannot be personal and declared free of it"
    assert all(reason.strip() for reason in declared.values())
