"""In-process runner: one worker process per framework, frameworks interleaved A B C A B C."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import typing as t

from common import APPS_DIR
from common import HERE
from common import SCENARIOS
from common import Framework
from common import median


class WorkerProc:
    def __init__(self, fw: Framework) -> None:
        self.fw = fw
        self.log = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(HERE, "worker.py"), fw.name],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log,
            text=True, bufsize=1, cwd=HERE,
        )
        hello = self._read()
        self.error: str | None = None if hello.get("ok") else hello.get("error", "worker died")

    def _read(self) -> dict[str, t.Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            self.log.seek(0)
            return {"ok": False, "error": "worker exited: " + self.log.read()[-2000:]}
        return t.cast("dict[str, t.Any]", json.loads(line))

    def ask(self, **cmd: t.Any) -> t.Any:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(cmd) + "\n")
        reply = self._read()
        if not reply.get("ok"):
            raise RuntimeError(f"{self.fw.name} {cmd}: {reply.get('error')}")
        return reply["result"]

    def close(self) -> None:
        try:
            if self.proc.poll() is None and self.proc.stdin is not None:
                self.proc.stdin.write(json.dumps({"op": "quit"}) + "\n")
                self.proc.stdin.close()
            self.proc.wait(timeout=15)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        self.log.close()


_IMPORT_SNIPPET = """
import sys, time
sys.path.insert(0, {apps!r})
c0, w0 = time.process_time(), time.perf_counter()
import {module}
c1, w1 = time.process_time(), time.perf_counter()
print(c1 - c0, w1 - w0)
"""


_warmed: set[str] = set()


def import_time(fw: Framework) -> tuple[float, float]:
    """CPU and wall seconds to import the framework and build the app, in a fresh interpreter.

    Measured as a deployed app starts: with bytecode caches. pip writes them
    when it installs a package, but not for an editable install (erlen's
    checkout), nor does Python with PYTHONDONTWRITEBYTECODE set; so the
    variable is dropped and one unmeasured import per framework writes them.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    cmd = [sys.executable, "-c", _IMPORT_SNIPPET.format(apps=APPS_DIR, module=fw.module)]
    if fw.name not in _warmed:
        subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=APPS_DIR, env=env)
        _warmed.add(fw.name)
    out = subprocess.run(
        cmd, capture_output=True, text=True, check=True, cwd=APPS_DIR, env=env
    ).stdout.split()
    return float(out[0]), float(out[1])


def _start(frameworks: list[Framework], result: dict[str, t.Any],
           log: t.Callable[[str], None]) -> list[WorkerProc]:
    workers = []
    for fw in frameworks:
        w = WorkerProc(fw)
        if w.error:
            log(f"  skip {fw.name}: {w.error.strip().splitlines()[-1]}")
            result["skipped"][fw.name] = w.error
            w.close()
        else:
            workers.append(w)
    return workers


def _check(workers: list[WorkerProc], keys: list[str], result: dict[str, t.Any],
           log: t.Callable[[str], None]) -> dict[str, list[str]]:
    """Each framework's scenarios that answer right: a wrong answer is not timed."""
    ok: dict[str, list[str]] = {}
    for w in workers:
        checks = w.ask(op="check")
        ok[w.fw.name] = [k for k in keys if checks[k] is None]
        for key in keys:
            if checks[key] is not None:
                log(f"  {w.fw.name} ({key}) FAILED the check: {checks[key].strip().splitlines()[-1]}")
                result["failed"].setdefault(w.fw.name, {})[key] = checks[key]
    return ok


def run(frameworks: list[Framework], scenario_keys: list[str], reps: int, target: float,
        import_reps: int, rss_requests: int, log: t.Callable[[str], None]) -> dict[str, t.Any]:
    keys = [s.key for s in SCENARIOS if s.key in scenario_keys]
    result: dict[str, t.Any] = {"skipped": {}, "failed": {}, "cpu": {}, "wall": {}, "n": {},
                                "calls": {}, "rss_kb": {}, "import": {}}
    workers = _start(frameworks, result, log)
    try:
        ok = _check(workers, keys, result, log)
        log(f"  checked {len(workers)} frameworks x {len(keys)} scenarios")
        for w in workers:
            for metric in ("cpu", "wall", "n"):
                result[metric][w.fw.name] = {k: [] for k in ok[w.fw.name]}
        t0 = time.monotonic()
        for rep in range(reps):
            for key in keys:
                for w in workers:  # A B C A B C: each framework once per round and scenario
                    if key in ok[w.fw.name]:
                        r = w.ask(op="time", sc=key, target=target)
                        for metric in ("cpu", "wall", "n"):
                            result[metric][w.fw.name][key].append(r[metric])
            log(f"  round {rep + 1}/{reps} done ({time.monotonic() - t0:.0f} s)")
        for w in workers:
            result["calls"][w.fw.name] = {
                k: w.ask(op="calls", sc=k)["calls"] for k in ("a", "b") if k in ok[w.fw.name]
            }
    finally:
        for w in workers:
            w.close()
    if rss_requests:
        # A fresh worker per framework serves the same requests in the same
        # batch sizes: the timing workers' batches are sized by speed, and a
        # faster framework's bigger batches of prebuilt requests would leave
        # a higher peak RSS behind.
        for fw in [w.fw for w in workers]:
            w = WorkerProc(fw)
            try:
                result["rss_kb"][fw.name] = w.ask(op="rss", n=rss_requests)["rss_kb"]
            finally:
                w.close()

    samples: dict[str, list[tuple[float, float]]] = {w.fw.name: [] for w in workers}
    for _ in range(import_reps):
        for w in workers:
            samples[w.fw.name].append(import_time(w.fw))
    for name, xs in samples.items():
        if xs:
            result["import"][name] = {"cpu": median([x[0] for x in xs]), "wall": median([x[1] for x in xs])}
    result["frameworks"] = [w.fw.name for w in workers]
    result["scenarios"] = keys
    return result
