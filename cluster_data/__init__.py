"""Cluster Atlas data layer: schema, loaders, metrics and the build step.

Pure Python. Nothing in this package imports streamlit (a test holds that line).
"""
