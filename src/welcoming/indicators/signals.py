"""What the indicators app tells others without knowing them (scorecards warm their scores)."""

from django.dispatch import Signal

# Sent once values were written by an import a worker ran; `batch_id` names the import.
values_imported = Signal()
