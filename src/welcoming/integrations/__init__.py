"""Adapters to the outside (charts, PDF, mail), each with a safe off-mode."""
