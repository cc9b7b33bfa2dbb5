"""Clients of the external APIs: each turns API JSON into mapper's own objects at the edge."""
