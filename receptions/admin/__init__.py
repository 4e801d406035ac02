"""The receptions admin, one module per part: `days` (reception rules and days), `rota` (duties,
absences and swap requests) and `reminders` (the reminders' history). Importing them registers
their admin pages."""

from . import days, reminders, rota  # noqa: F401
