"""Pulling the sources into the store: calendar sync, Meet and Recall collection, People lookups."""
