"""Cluster Atlas benchmark (`python -m bench`); see bench/__main__.py for usage."""
