"""The public pages' addresses, one module per namespace they have always had: `stations:` at
/stations/ and `representatives:` at /representatives/."""
