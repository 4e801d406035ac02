from django.dispatch import Signal

# Sent after a change to the working-day calendar has been committed (an override saved or
# deleted, a year marked published), with `sender` the model class and `years` the set of years
# whose dates may have changed. Reception schedules and open deadlines listen to recompute.
calendar_changed = Signal()
