"""End-to-end runner: one worker per server, loaded with wrk on 127.0.0.1.

Two phases, each pairing a WSGI and an ASGI server: gunicorn (gthread) with
uvicorn, and granian WSGI with granian ASGI. In a phase every framework runs
in its own server at once (idle ones cost nothing), and the wrk runs go
A B C A B C over them, so Flask, the reference, is measured alongside.
Every load is bounded: a fixed duration, or a fixed request count for the
warm-up, and only ever at 127.0.0.1.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import typing as t

from common import APPS_DIR
from common import SCENARIOS
from common import Framework
from common import Scenario
from common import cookie_from

HOST = "127.0.0.1"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def server_command(server: str, fw: Framework, port: int) -> list[str]:
    target = f"{fw.module}:app"
    py = sys.executable
    if server == "gunicorn-gthread":
        return [py, "-m", "gunicorn", "-w", "1", "-k", "gthread", "--threads", "4",
                "-b", f"{HOST}:{port}", "--log-level", "warning", target]
    if server in ("granian-wsgi", "granian-asgi"):
        return [py, "-m", "granian", "--interface", server.split("-")[1], "--workers", "1",
                "--host", HOST, "--port", str(port), "--no-ws", "--log-level", "warning", target]
    if server == "uvicorn":
        return [py, "-m", "uvicorn", target, "--host", HOST, "--port", str(port),
                "--interface", "asgi3", "--log-level", "warning", "--no-access-log"]
    raise ValueError(server)


PHASES = [("gunicorn-gthread", "uvicorn"), ("granian-wsgi", "granian-asgi")]
SERVER_NOTES = {
    "gunicorn-gthread": "gunicorn -w 1 -k gthread --threads 4",
    "uvicorn": "uvicorn (one process, uvloop + httptools when installed)",
    "granian-wsgi": "granian --interface wsgi --workers 1",
    "granian-asgi": "granian --interface asgi --workers 1",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


# -- /proc ------------------------------------------------------------------------


def _stat(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def tree(root: int) -> list[int]:
    """``root`` and its descendants."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            st = _stat(int(entry))
            if st:
                parents[int(entry)] = int(st[1])
    out, frontier = [root], [root]
    while frontier:
        frontier = [p for p, pp in parents.items() if pp in frontier]
        out += frontier
    return out


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        st = _stat(pid)
        if st:
            total += int(st[11]) + int(st[12])
    return total / CLK_TCK


def rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


# -- servers ------------------------------------------------------------------------


class Server:
    def __init__(self, server: str, fw: Framework) -> None:
        self.server, self.fw = server, fw
        self.label = f"{fw.name}@{server}"
        self.port = free_port()
        self.log = tempfile.TemporaryFile(mode="w+")
        env = dict(os.environ, PYTHONPATH=APPS_DIR, PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen(
            server_command(server, fw, self.port), cwd=APPS_DIR, env=env,
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.cookies: dict[str, str | None] = {}
        self.pids: list[int] = [self.proc.pid]

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()[-3000:]

    def wait_ready(self, timeout: float = 40.0) -> str | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return f"exited {self.proc.returncode}: {self.output()}"
            try:
                status, _, _ = self.request(SCENARIOS[0], None)
                if status:
                    return None
            except OSError:
                time.sleep(0.2)
        return "not ready in time: " + self.output()

    def request(self, sc: Scenario, cookie: str | None) -> tuple[int, list[tuple[str, str]], bytes]:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=10)
        try:
            headers = {}
            if sc.body:
                headers["Content-Type"] = t.cast(str, sc.content_type)
            if cookie:
                headers["Cookie"] = cookie
            conn.request(sc.method, sc.path, body=sc.body or None, headers=headers)
            resp = conn.getresponse()
            return resp.status, resp.getheaders(), resp.read()
        finally:
            conn.close()

    def warm_up(self, scenarios: list[Scenario], total: int) -> int:
        """Send ``total`` requests over one keep-alive connection, spread over ``scenarios``."""
        conn = http.client.HTTPConnection(HOST, self.port, timeout=10)
        sent = 0
        try:
            per = max(1, total // len(scenarios))
            for sc in scenarios:
                headers = {"Cookie": self.cookie(sc) or ""} if sc.session else {}
                if sc.body:
                    headers["Content-Type"] = t.cast(str, sc.content_type)
                for _ in range(per):
                    conn.request(sc.method, sc.path, body=sc.body or None, headers=headers)
                    conn.getresponse().read()
                    sent += 1
        finally:
            conn.close()
        return sent

    def cookie(self, sc: Scenario) -> str | None:
        if sc.key not in self.cookies:
            self.cookies[sc.key] = cookie_from(self.request(sc, None)[1]) if sc.session else None
        return self.cookies[sc.key]

    def check(self, sc: Scenario) -> str | None:
        try:
            return sc.check(*self.request(sc, self.cookie(sc)))
        except Exception as e:
            return f"{type(e).__name__}: {e}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
            except ProcessLookupError:
                pass
        self.log.close()


# -- wrk ---------------------------------------------------------------------------------

_DONE = """
done = function(summary, latency, requests)
  io.write(string.format("WRKRESULT %d %d %.0f %.0f %d %d %d %d %d\\n",
    summary.requests, summary.duration, latency:percentile(99), latency:percentile(50),
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout))
end
"""


def _lua(s: str) -> str:
    """A Lua string literal (cookie values may hold quotes: Bottle's do)."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def lua_script(workdir: str, sc: Scenario, cookie: str | None) -> str:
    lines = [f"wrk.method = {_lua(sc.method)}"]
    if sc.body:
        body_path = os.path.join(workdir, f"{sc.key}.body")
        with open(body_path, "wb") as f:
            f.write(sc.body)
        lines += [f"local f = assert(io.open({_lua(body_path)}, 'rb'))", "wrk.body = f:read('*a')", "f:close()",
                  f'wrk.headers["Content-Type"] = {_lua(t.cast(str, sc.content_type))}']
    if cookie:
        lines.append(f'wrk.headers["Cookie"] = {_lua(cookie)}')
    fd, path = tempfile.mkstemp(suffix=".lua", dir=workdir)
    with os.fdopen(fd, "w") as f:
        f.write("\n".join(lines) + "\n" + _DONE)
    return path


def wrk(port: int, sc: Scenario, script: str, duration: float, connections: int) -> dict[str, float]:
    proc = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{duration:g}s", "--timeout", "5s", "-s", script,
         f"http://{HOST}:{port}{sc.path}"],
        capture_output=True, text=True, timeout=duration + 60,
    )
    out = proc.stdout
    for line in out.splitlines():
        if line.startswith("WRKRESULT"):
            f = [float(x) for x in line.split()[1:]]
            return {"requests": f[0], "duration_s": f[1] / 1e6, "p99_us": f[2], "p50_us": f[3],
                    "socket_errors": f[4] + f[5] + f[6] + f[8], "status_errors": f[7]}
    raise RuntimeError(f"no result from wrk: {(out + proc.stderr)[-500:]}")


def run(frameworks: list[Framework], scenario_keys: list[str], reps: int, duration: float,
        connections: int, warmup: int, log: t.Callable[[str], None],
        save: t.Callable[[dict[str, t.Any]], None] = lambda out: None) -> dict[str, t.Any]:
    if not shutil.which("wrk"):
        raise RuntimeError("wrk is not installed (Debian: apt-get install wrk)")
    scenarios = [s for s in SCENARIOS if s.key in scenario_keys]
    out: dict[str, t.Any] = {"phases": [], "servers": SERVER_NOTES, "connections": connections,
                             "duration_s": duration, "reps": reps, "warmup": warmup}
    workdir = tempfile.mkdtemp(prefix="erlen-bench-")
    try:
        for wsgi_server, asgi_server in PHASES:
            out["phases"].append(_phase(frameworks, scenarios, wsgi_server, asgi_server, reps,
                                        duration, connections, warmup, workdir, log))
            save(out)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return out


def _phase(frameworks: list[Framework], scenarios: list[Scenario], wsgi_server: str, asgi_server: str,
           reps: int, duration: float, connections: int, warmup: int, workdir: str,
           log: t.Callable[[str], None]) -> dict[str, t.Any]:
    phase: dict[str, t.Any] = {"wsgi": wsgi_server, "asgi": asgi_server, "reference": f"flask@{wsgi_server}",
                               "skipped": {}, "failed": {}, "rps": {}, "p99_us": {}, "cpu_per_req": {},
                               "status_errors": {}, "rss_kb": {}, "labels": []}
    log(f"  phase {wsgi_server} + {asgi_server}")
    servers: list[Server] = []
    try:
        for fw in frameworks:
            servers.append(Server(wsgi_server if fw.protocol == "wsgi" else asgi_server, fw))
        ready: list[Server] = []
        for s in servers:
            err = s.wait_ready()
            if err:
                log(f"    skip {s.label}: {err.strip().splitlines()[-1] if err.strip() else err}")
                phase["skipped"][s.label] = err
                continue
            ok = []
            for sc in scenarios:
                err = s.check(sc)
                if err:
                    log(f"    {s.label} ({sc.key}) FAILED the check: {err[:200]}")
                    phase["failed"].setdefault(s.label, {})[sc.key] = err
                else:
                    ok.append(sc.key)
            s.ok = ok  # type: ignore[attr-defined]
            ready.append(s)
        # Warm-up: ``warmup`` requests spread over the scenarios, then the worker's RSS.
        for s in ready:
            s.warm_up([sc for sc in scenarios if sc.key in s.ok], warmup)  # type: ignore[attr-defined]
            s.pids = tree(s.proc.pid)
            phase["rss_kb"][s.label] = max(rss_kb(p) for p in s.pids)
        log(f"    {len(ready)} servers warmed up ({warmup} requests each)")
        scripts = {(s.label, sc.key): lua_script(workdir, sc, s.cookie(sc))
                   for s in ready for sc in scenarios}
        for s in ready:
            phase["labels"].append(s.label)
            for key in ("rps", "p99_us", "cpu_per_req", "status_errors"):
                phase[key][s.label] = {sc.key: [] for sc in scenarios if sc.key in s.ok}  # type: ignore[attr-defined]
        t0 = time.monotonic()
        for rep in range(reps):
            for sc in scenarios:
                for s in ready:
                    if sc.key not in s.ok:  # type: ignore[attr-defined]
                        continue
                    c0 = cpu_seconds(s.pids)
                    try:
                        r = wrk(s.port, sc, scripts[s.label, sc.key], duration, connections)
                    except (RuntimeError, subprocess.TimeoutExpired) as e:
                        log(f"    {s.label} ({sc.key}): {str(e).splitlines()[0]}")
                        phase["failed"].setdefault(s.label, {})[sc.key] = str(e)
                        continue
                    c1 = cpu_seconds(s.pids)
                    n = max(r["requests"], 1)
                    phase["rps"][s.label][sc.key].append(r["requests"] / r["duration_s"])
                    phase["p99_us"][s.label][sc.key].append(r["p99_us"])
                    phase["cpu_per_req"][s.label][sc.key].append((c1 - c0) / n)
                    bad = r["socket_errors"] + (0 if sc.key == "g" else r["status_errors"])
                    phase["status_errors"][s.label][sc.key].append(bad)
            log(f"    round {rep + 1}/{reps} done ({time.monotonic() - t0:.0f} s)")
    finally:
        for s in servers:
            s.stop()
    return phase
