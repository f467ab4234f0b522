"""The rules of the insurance policy, as plain Python.

Nothing here imports Flask, SQLAlchemy or marshmallow: every rule can be read and
tested on its own, and each names the source it comes from.
"""
