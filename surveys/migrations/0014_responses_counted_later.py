"""Responses are counted into the tallies after they are saved (surveys/tallies.py `fold`), so a
submit writes only its own rows. Every complete response saved so far is counted already (0013 and
each submit since counted it): they start `counted`; in-progress ones do not."""

from django.db import migrations, models


def in_progress_not_counted(apps, schema_editor):
    Response = apps.get_model("surveys", "Response")
    Response.objects.exclude(status="complete").update(counted=False)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0013_answers_counted_by_tallies")]

    operations = [
        # True for the rows there now (one ALTER, no rewrite on PostgreSQL), then False for new ones.
        migrations.AddField(model_name="response", name="counted", field=models.BooleanField(default=True)),
        migrations.AlterField(model_name="response", name="counted", field=models.BooleanField(default=False)),
        migrations.RunPython(in_progress_not_counted, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="response",
            index=models.Index(
                condition=models.Q(("counted", False), ("status", "complete")),
                fields=["consultation"],
                name="surveys_response_to_count",
            ),
        ),
    ]
