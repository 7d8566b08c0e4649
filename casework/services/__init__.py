"""Writes of the journey: each a function named <entity>_<action>, one transaction with its audit event."""
