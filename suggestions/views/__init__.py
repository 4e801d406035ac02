"""Suggestions' pages, one module per audience: `public` (citizens: the form, the receipt, tracking
and rating; and staff registering a suggestion for a citizen through the same flow) and
`workbench` (staff, departments, representatives and supervisors handling suggestions)."""
