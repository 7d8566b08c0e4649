from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from core.data_dictionary import data_dictionary_markdown

TARGET = Path(settings.BASE_DIR) / "docs" / "data-dictionary.md"


class Command(BaseCommand):
    help = "Write docs/data-dictionary.md from the models."

    def handle(self, *args, **options):
        TARGET.write_text(data_dictionary_markdown(), encoding="utf-8")
        self.stdout.write(f"Wrote {TARGET}")
