"""Suggestions are mounted twice: `public` at the site root (/s/, /r/, /track/) and `workbench`
under /workbench/."""
