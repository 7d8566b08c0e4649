"""Reads of the journey, each starting from the access policy in core.access."""
