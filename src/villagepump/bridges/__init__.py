"""Bridges to other chat networks."""
