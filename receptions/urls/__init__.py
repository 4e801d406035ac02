"""Receptions are mounted three times: `public` under /receptions/ (the calendar feeds), `logs`
under /workbench/receptions/ and `rota` under /workbench/rota/."""
