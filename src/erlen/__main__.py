"""Run the ``erlen`` command line with ``python -m erlen``."""

from __future__ import annotations

from .cli import main

if __name__ == "__main__":
    main()
