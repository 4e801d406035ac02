"""Receptions' pages, one module per audience: `public` (the calendar feeds anyone subscribes
to), `rota` (station staff planning duties, representatives asking to swap one) and `logs`
(representatives and staff logging held receptions)."""
