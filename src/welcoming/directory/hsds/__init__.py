"""Open Referral HSDS: the schemas, the import of feeds and the export."""
