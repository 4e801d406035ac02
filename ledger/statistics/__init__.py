"""The numbers officials report (DOMAIN.md), for a period and a region or some stations.

How each number is counted
- Suggestions count in the month they were received (`created`), in the state they are in now.
  Pending = received, accepted, assigned or being handled; overdue = still open past its deadline.
- Handling rate (办结率) = completed, fed back or closed / (received − not accepted − merged).
- On-time rate = completed on or before the deadline / completed with a deadline (only the
  township and county routes get a deadline).
- Satisfaction shares are over the rated suggestions.
- Average working days to complete: working days in (received date, completed date] by the
  official calendar (`workdays.selectors`). Asking the calendar per suggestion would loop over the
  rows. Instead the database groups the completed suggestions by their (received date, completed
  date) pair and each distinct pair is priced once from a cumulative working-day index built with
  the same calendar; the pairs grow with the length of the period (a month gives a few hundred at
  most), not with the number of suggestions. It is exact, not a sample; past months are kept in
  the summaries.
- Receptions held, visitors (batches, person-times), duties done and receptions logged count in the
  month of the reception day; only held days count.
- Coverage = villages and communities under the scope with an active station that has a current
  assignment (or is a point led by a representative) / all of them. It is a state, not a flow, so
  it is "now" whatever the period.

Where they come from
- Region scopes (a supervisor's regions, the whole province): whole past months and the current
  month up to yesterday come from the region summaries (`ledger.models.RegionMonthSummary`, kept
  by `ledger.statistics.summaries` every ten minutes); today, partial months at the period's
  edges and months not summarised yet are counted live (`ledger.statistics.live`). A province's
  year is about twelve summary rows plus one day of suggestions.
- Station scopes (a station with its points, a staff member's stations) are always counted live:
  a station has a few hundred suggestions a year, which an index range reads at once.

The modules: `periods` (dates, ranges, working days), `measures` (what is counted), `scope` (what
the figures are about and who may read them), `figures` (the results), `live` and `summaries`
(the two ways of counting), `dashboard` (`station_stats`, every number of a period), `report` (the
lists behind a station's monthly report) and `charts`.

Every count is one aggregate query (Count/Sum with a filter, values().annotate() group-bys);
Python only adds up grouped rows. Summary reads go through the cache under keys made of the
months' refresh stamps (a refresh makes new keys, so they are never staler than the summaries);
the coverage of a summarised region is cached for the same ten minutes.
"""
