"""The directory of services for newcomers, on Open Referral's HSDS 3.0."""
