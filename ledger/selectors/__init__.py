"""Reads for the ledgers (台账), one module per topic: `scope` (what a user's scope reaches),
`choices` (the filter forms' autocomplete), `pages` (keyset pages and capped counts), the two
ledgers, `suggestions` and `receptions`, and `exports` (what the export pages show of one)."""
