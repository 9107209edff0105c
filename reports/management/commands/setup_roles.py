from django.core.management.base import BaseCommand

from reports.roles import roles_setup


class Command(BaseCommand):
    help = "Create or repair the curators' groups (editor, reviewer) and their permissions."

    def handle(self, *args, **options) -> None:
        for name, count in roles_setup().items():
            self.stdout.write(f"Group {name!r}: {count} permissions.")
