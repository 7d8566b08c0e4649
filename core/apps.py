from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"

    def ready(self):
        from core import sqlite_triggers

        sqlite_triggers.connect()
