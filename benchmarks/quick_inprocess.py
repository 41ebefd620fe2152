"""Quick in-process comparison of erlen (WSGI) with Flask: plaintext, JSON and 404.

Kept for the hot-path loop; the full suite is ``benchmarks/run`` (see
docs/benchmarks.md). This is ``benchmarks/run --quick --frameworks erlen-wsgi
--scenarios abg`` and takes any of its options after those.
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench import main

if __name__ == "__main__":
    os.chdir(os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main(["--quick", "--frameworks", "erlen-wsgi", "--scenarios", "abg",
                   "--out", os.path.join("results", "quick_inprocess.json"), *sys.argv[1:]]))
