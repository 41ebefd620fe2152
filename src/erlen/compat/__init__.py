"""Compatibility layers that let code written for other frameworks run on erlen.

:mod:`erlen.compat.flask` makes ``import flask`` (and its submodules) resolve
to erlen, so unmodified Flask applications and Flask extensions run on erlen.
"""
