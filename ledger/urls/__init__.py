"""The ledger app is mounted at three places (liaison/urls.py includes each by its dotted name):
`ledger` at /ledger/, `statistics` at /statistics/ and `notice` (the public notice) at /notice/."""
