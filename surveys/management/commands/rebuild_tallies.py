from django.core.management.base import BaseCommand, CommandError

from surveys import tallies
from surveys.models import ConsultationPage


class Command(BaseCommand):
    help = (
        "Count responses waiting to be counted into the results' running tallies, recount the tallies from "
        "the answers and report any difference (there should be none). With --check, only report, and fail "
        "if any consultation differs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--consultation", type=int, action="append", help="A consultation's page id.")
        parser.add_argument("--check", action="store_true", help="Report differences without fixing them.")

    def handle(self, *args, consultation, check, **options):
        pages = ConsultationPage.objects.all()
        if consultation:
            pages = pages.filter(pk__in=consultation)
        ids = list(pages.order_by("pk").values_list("pk", flat=True))
        if consultation and len(ids) != len(set(consultation)):
            raise CommandError(f"No consultation with page id {sorted(set(consultation) - set(ids))}.")
        differing = 0
        for page_id in ids:
            found = tallies.differences(page_id) if check else tallies.rebuild(page_id)
            if not found:
                continue
            differing += 1
            self.stdout.write(
                self.style.WARNING(
                    f"Consultation {page_id}: {len(found):,} count(s) differed from the answers"
                )
            )
            for (_, question_id, key, dimension, value), (running, actual) in list(found.items())[:20]:
                where = " ".join(part for part in (question_id or "responses", key, dimension, value) if part)
                self.stdout.write(f"  {where}: {running:,} running, {actual:,} in the answers")
        verb = "found" if check else "fixed"
        self.stdout.write(f"Checked {len(ids):,} consultation(s); {verb} differences in {differing:,}.")
        if check and differing:
            raise CommandError("The tallies differ from the answers: run rebuild_tallies without --check.")
