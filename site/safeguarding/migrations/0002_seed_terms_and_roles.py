"""A starting term list (leads change it in the admin) and the safeguarding and data protection
permissions for the staff roles."""

from django.db import migrations

from parentvoice.accounts.roles import sync_roles_migration

# (phrase, match, category). "stem" matches any word starting with it: "abus" finds abuse, abused, abusive.
STARTING_TERMS = [
    ("hits me", "phrase", "harm"),
    ("hit me", "phrase", "harm"),
    ("hits my", "phrase", "harm"),
    ("hit my", "phrase", "harm"),
    ("hurts me", "phrase", "harm"),
    ("hurt me", "phrase", "harm"),
    ("hurting", "stem", "harm"),
    ("beat", "stem", "harm"),
    ("punch", "stem", "harm"),
    ("kick", "stem", "harm"),
    ("slapp", "stem", "harm"),
    ("bruise", "stem", "harm"),
    ("burn marks", "phrase", "harm"),
    ("strangl", "stem", "harm"),
    ("chok", "stem", "harm"),
    ("threaten", "stem", "harm"),
    ("scared of", "phrase", "harm"),
    ("afraid of", "phrase", "harm"),
    ("frightened of", "phrase", "harm"),
    ("not safe", "phrase", "harm"),
    ("unsafe", "phrase", "harm"),
    ("weapon", "stem", "harm"),
    ("knife", "phrase", "harm"),
    ("abus", "stem", "abuse"),
    ("molest", "stem", "abuse"),
    ("groom", "stem", "abuse"),
    ("sexual", "stem", "abuse"),
    ("touched me", "phrase", "abuse"),
    ("touches me", "phrase", "abuse"),
    ("touched my", "phrase", "abuse"),
    ("touching my", "phrase", "abuse"),
    ("rape", "stem", "abuse"),
    ("raped", "phrase", "abuse"),
    ("exploit", "stem", "abuse"),
    ("trafficked", "phrase", "abuse"),
    ("county lines", "phrase", "abuse"),
    ("self harm", "phrase", "self_harm"),
    ("self-harm", "phrase", "self_harm"),
    ("selfharm", "stem", "self_harm"),
    ("cutting myself", "phrase", "self_harm"),
    ("cutting herself", "phrase", "self_harm"),
    ("cutting himself", "phrase", "self_harm"),
    ("suicid", "stem", "self_harm"),
    ("kill myself", "phrase", "self_harm"),
    ("kill herself", "phrase", "self_harm"),
    ("kill himself", "phrase", "self_harm"),
    ("end my life", "phrase", "self_harm"),
    ("want to die", "phrase", "self_harm"),
    ("wants to die", "phrase", "self_harm"),
    ("overdose", "stem", "self_harm"),
    ("domestic violence", "phrase", "domestic_abuse"),
    ("domestic abuse", "phrase", "domestic_abuse"),
    ("violent", "stem", "domestic_abuse"),
    ("controlling", "phrase", "domestic_abuse"),
    ("coercive", "phrase", "domestic_abuse"),
    ("my partner hits", "phrase", "domestic_abuse"),
    ("locked in", "phrase", "domestic_abuse"),
    ("locks me", "phrase", "domestic_abuse"),
    ("locked out", "phrase", "neglect"),
    ("left alone", "phrase", "neglect"),
    ("left on their own", "phrase", "neglect"),
    ("home alone", "phrase", "neglect"),
    ("no food", "phrase", "neglect"),
    ("nothing to eat", "phrase", "neglect"),
    ("starving", "phrase", "neglect"),
    ("neglect", "stem", "neglect"),
    ("homeless", "phrase", "neglect"),
    ("drunk", "phrase", "neglect"),
    ("on drugs", "phrase", "neglect"),
    ("ran away", "phrase", "other"),
    ("run away", "phrase", "other"),
    ("runaway", "phrase", "other"),
    ("missing from home", "phrase", "other"),
    ("in danger", "phrase", "other"),
    ("at risk", "phrase", "other"),
    ("social services", "phrase", "other"),
    ("police", "stem", "other"),
    ("help me", "phrase", "other"),
]


def seed_terms(apps, schema_editor):
    ConcernTerm = apps.get_model("safeguarding", "ConcernTerm")
    for phrase, match, category in STARTING_TERMS:
        ConcernTerm.objects.get_or_create(phrase=phrase, defaults={"match": match, "category": category})


class Migration(migrations.Migration):
    dependencies = [
        ("safeguarding", "0001_initial"),
        ("privacy", "0001_initial"),
        ("accounts", "0003_site_name"),
    ]

    operations = [
        migrations.RunPython(seed_terms, migrations.RunPython.noop),
        migrations.RunPython(sync_roles_migration, migrations.RunPython.noop),
    ]
