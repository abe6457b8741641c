"""Readers of the formats directories publish, each into a `Feed` of HSDS 3.0 records."""
