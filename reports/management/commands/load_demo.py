from django.core.management.base import BaseCommand

from reports.demo import demo_load


class Command(BaseCommand):
    help = (
        "Load the Palmyra demo data: sites, monuments, the 2016 article and its damage reports. "
        "Idempotent: what is already there is left untouched."
    )

    def handle(self, *args, **options) -> None:
        counts = demo_load()
        created = sum(n for key, n in counts.items() if key.endswith("created"))
        lines = ", ".join(f"{n} {key}" for key, n in sorted(counts.items()))
        self.stdout.write(f"Demo data: {lines}.")
        self.stdout.write(self.style.SUCCESS(f"{created} row(s) created."))
