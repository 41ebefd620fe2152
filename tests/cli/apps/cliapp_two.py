"""Two apps and no ``app`` name: discovery must refuse to guess."""

from __future__ import annotations

from erlen import Erlen

first = Erlen("cliapp_first")
second = Erlen("cliapp_second")
