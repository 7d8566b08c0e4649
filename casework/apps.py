from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = "Casework: referral, panel, decision and plan"

    def ready(self):
        # Placements and calendars cannot call casework; it listens for their writes to keep next reviews due.
        from django.db.models.signals import post_migrate

        from casework.services.next_reviews import (
            calendars_changed_received,
            next_reviews_fill,
            placements_changed_received,
            review_intervals_changed_received,
        )
        from core.signals import review_intervals_changed
        from placements.signals import placements_changed
        from terms.signals import calendars_changed

        placements_changed.connect(placements_changed_received, dispatch_uid="casework_next_reviews_placements")
        calendars_changed.connect(calendars_changed_received, dispatch_uid="casework_next_reviews_calendars")
        review_intervals_changed.connect(review_intervals_changed_received, dispatch_uid="casework_next_reviews_areas")
        post_migrate.connect(next_reviews_fill, sender=self, dispatch_uid="casework_next_reviews_fill")

        # A plan keeps the date its last objective is due, however its objectives are written.
        from django.db.models.signals import post_delete, post_save

        from casework.models import PlanObjective, objective_written

        post_save.connect(objective_written, sender=PlanObjective, dispatch_uid="casework_objective_saved")
        post_delete.connect(objective_written, sender=PlanObjective, dispatch_uid="casework_objective_deleted")
