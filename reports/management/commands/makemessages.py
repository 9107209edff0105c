"""Django's makemessages, without fuzzy matching: a new message gets no guessed translation
from a similar old one (a guess that, once its flag is lost, shows the wrong Arabic)."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
