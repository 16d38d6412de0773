"""Moving a model to another app without moving its data (migration operations).

The model keeps its table (`db_table`), so the move is a change of Django's state only; the
content types move with it, so permissions and admin history that point at them still do.
"""

from __future__ import annotations


def move_content_types(old_app: str, new_app: str, models: list[str]):
    """A RunPython moving these models' content types (lower-case model names) between apps;
    a type already present in the new app is left alone."""
    from django.db import migrations

    def move(source: str, target: str):
        def run(apps, schema_editor):
            content_type = apps.get_model("contenttypes", "ContentType")
            db = schema_editor.connection.alias
            present = set(content_type.objects.using(db).filter(app_label=target, model__in=models)
                          .values_list("model", flat=True))
            (content_type.objects.using(db)
             .filter(app_label=source, model__in=[m for m in models if m not in present])
             .update(app_label=target))

        return run

    return migrations.RunPython(move(old_app, new_app), move(new_app, old_app))
