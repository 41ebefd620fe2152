"""A module without any application."""

from __future__ import annotations

value = 1
