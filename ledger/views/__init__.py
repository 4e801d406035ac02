"""The ledger app's pages, one module per audience: `ledger` (the ledgers), `exports`,
`statistics` (the dashboard and the monthly report) and `notice` (the public notice)."""
