"""The questionnaire tables move from ``participation`` to ``surveys`` (state only, no table is touched).

The models are taken over with the tables they have (``participation_survey`` …); ``0002_tables`` then
renames the tables. ``participation.0011_move_surveys`` removes the models from participation's state.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

KINDS = [
    ("single", "eine Antwort auswählen"),
    ("multiple", "mehrere Antworten auswählen"),
    ("scale", "Skala"),
    ("text", "freier Text"),
    ("ranking", "Rangfolge"),
]


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("participation", "0010_idea_image_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name="Survey",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("title", models.CharField(max_length=200, verbose_name="Titel")),
                ("intro", models.TextField(blank=True, max_length=10000, verbose_name="Einleitung")),
                ("allows_anonymous", models.BooleanField(default=False, verbose_name="ohne Konto beantwortbar")),
                ("is_demo", models.BooleanField(default=False, verbose_name="Beispielinhalt")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "phase",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="surveys",
                        to="participation.phase",
                    ),
                ),
                (
                    "process",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="surveys",
                        to="participation.process",
                    ),
                ),
            ],
            options={
                "verbose_name": "Umfrage",
                "verbose_name_plural": "Umfragen",
                "ordering": ["process", "pk"],
                "db_table": "participation_survey",
            },
        ),
        migrations.CreateModel(
            name="Question",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("text", models.CharField(max_length=500, verbose_name="Frage")),
                ("help_text", models.CharField(blank=True, max_length=500, verbose_name="Hinweis")),
                ("kind", models.CharField(choices=KINDS, max_length=20, verbose_name="Art")),
                ("required", models.BooleanField(default=True, verbose_name="Pflichtfrage")),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="Reihenfolge")),
                ("scale_min", models.PositiveSmallIntegerField(default=1, verbose_name="kleinster Wert der Skala")),
                ("scale_max", models.PositiveSmallIntegerField(default=5, verbose_name="größter Wert der Skala")),
                (
                    "scale_low_label",
                    models.CharField(blank=True, max_length=80, verbose_name="Bedeutung des kleinsten Werts"),
                ),
                (
                    "scale_high_label",
                    models.CharField(blank=True, max_length=80, verbose_name="Bedeutung des größten Werts"),
                ),
                (
                    "survey",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="questions", to="surveys.survey"
                    ),
                ),
            ],
            options={
                "verbose_name": "Frage",
                "verbose_name_plural": "Fragen",
                "ordering": ["survey", "order", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("scale_max__gt", models.F("scale_min"))),
                        name="question_scale_max_above_min",
                    )
                ],
                "db_table": "participation_question",
            },
        ),
        migrations.CreateModel(
            name="Choice",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("text", models.CharField(max_length=200, verbose_name="Antwortmöglichkeit")),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="Reihenfolge")),
                (
                    "question",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="choices", to="surveys.question"
                    ),
                ),
            ],
            options={
                "verbose_name": "Antwortmöglichkeit",
                "verbose_name_plural": "Antwortmöglichkeiten",
                "ordering": ["question", "order", "pk"],
                "db_table": "participation_choice",
            },
        ),
        migrations.CreateModel(
            name="Response",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("browser_token", models.CharField(blank=True, max_length=64)),
                ("is_demo", models.BooleanField(default=False, verbose_name="simulierte Antwort")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "survey",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="responses", to="surveys.survey"
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "ausgefüllter Fragebogen",
                "verbose_name_plural": "ausgefüllte Fragebögen",
                "ordering": ["survey", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("user__isnull", False)),
                        fields=("survey", "user"),
                        name="response_one_per_user",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("browser_token", ""), _negated=True),
                        fields=("survey", "browser_token"),
                        name="response_one_per_browser",
                    ),
                ],
                "db_table": "participation_response",
            },
        ),
        migrations.CreateModel(
            name="Answer",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("value", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("text", models.TextField(blank=True, max_length=5000)),
                (
                    "choice",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="surveys.choice",
                    ),
                ),
                (
                    "question",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="answers", to="surveys.question"
                    ),
                ),
                (
                    "response",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="answers", to="surveys.response"
                    ),
                ),
            ],
            options={
                "verbose_name": "Antwort",
                "verbose_name_plural": "Antworten",
                "indexes": [models.Index(fields=["question", "choice"], name="answer_question_choice")],
                "db_table": "participation_answer",
            },
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
