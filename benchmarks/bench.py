"""erlen's benchmark suite: erlen against Flask and its peers. Run it as ``benchmarks/run``.

Every figure is printed as a ratio to Flask measured in the same run, with
the geometric mean over the scenarios (a)-(h). See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import signal
import sys
import time
import typing as t

from common import FRAMEWORK_BY_NAME
from common import FRAMEWORKS
from common import REFERENCE
from common import RESULTS_DIR
from common import SCENARIO_BY_KEY
from common import SCENARIOS
from common import fmt_ratio
from common import geomean
from common import machine
from common import median
from common import spread
from common import versions


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# -- tables ----------------------------------------------------------------------------------


#: Print the tables as Markdown (``--markdown``), for docs/benchmarks.md.
MARKDOWN = False


def _table(title: str, rows: list[str], cols: list[str], cell: t.Callable[[str, str], str],
           header: list[str] | None = None) -> str:
    header = header or cols
    if MARKDOWN:
        lines = [f"\n**{title}**\n", "| | " + " | ".join(header) + " |",
                 "|---|" + "---:|" * len(header)]
        lines += [f"| {r} | " + " | ".join(cell(r, c) for c in cols) + " |" for r in rows]
        return "\n".join(lines) + "\n"
    width = max(12, *(len(r) for r in rows)) + 1
    lines = [title, f"{'':{width}}" + "".join(f"{h:>9}" for h in header)]
    for r in rows:
        lines.append(f"{r:{width}}" + "".join(f"{cell(r, c):>9}" for c in cols))
    return "\n".join(lines)


def ratio_table(title: str, data: dict[str, dict[str, list[float]]], ref: str, keys: list[str],
                unit: str, scale: float, higher_better: bool) -> tuple[str, dict[str, dict[str, float]]]:
    """Medians as ratios to ``ref`` per scenario, a geomean column, and the reference's own figures."""
    med = {name: {k: median(v) for k, v in per.items() if v} for name, per in data.items()}
    ratios: dict[str, dict[str, float]] = {}
    for name, per in med.items():
        ratios[name] = {k: per[k] / med[ref][k] for k in keys if k in per and med.get(ref, {}).get(k)}
        if len(ratios[name]) == len(keys):
            ratios[name]["geomean"] = geomean([ratios[name][k] for k in keys])
        ratios[name]["noise"] = median([spread(v) for v in data[name].values() if v]) if data[name] else 0

    def cell(row: str, col: str) -> str:
        if row == f"{ref} ({unit})":
            v = med.get(ref, {}).get(col)
            return "-" if v is None else f"{v * scale:.1f}" if v * scale < 1000 else f"{v * scale:.0f}"
        r = ratios.get(row, {}).get(col)
        if col == "noise":
            return "-" if r is None else f"{r * 100:.0f}%"
        return fmt_ratio(r)

    rows = [f"{ref} ({unit})"] + list(med)
    cols = [*keys, "geomean", "noise"]
    direction = "higher is better" if higher_better else "lower is better"
    text = _table(f"{title} — ratio to {ref} ({direction}); noise = median (max-min)/median of the repetitions",
                  rows, cols, cell)
    return text, ratios


def report(res: dict[str, t.Any]) -> str:
    """The tables of a run; also stores the ratios in ``res`` (for the chart)."""
    out: list[str] = []
    if res.get("inprocess"):
        out += _inprocess_report(res["inprocess"])
    if res.get("e2e"):
        out += _e2e_report(res["e2e"], res["scenarios"])
    return "\n".join(out)


def _inprocess_report(ip: dict[str, t.Any]) -> list[str]:
    out: list[str] = []
    keys = ip["scenarios"]
    legend = ", ".join(f"({k}) {SCENARIO_BY_KEY[k].name}" for k in keys)
    out.append(f"Scenarios: {legend}\n")
    if REFERENCE not in ip["cpu"]:
        out.append("Flask did not run: no ratios.")
    else:
        text, ratios = ratio_table("IN-PROCESS: CPU time per request", ip["cpu"], REFERENCE, keys,
                                   "µs", 1e6, False)
        ip["ratios"] = ratios
        out.append(text)
        ref = REFERENCE
        names = ip["frameworks"]

        def extra(name: str, col: str) -> str:
            if col in ("a", "b"):
                c = ip["calls"].get(name, {}).get(col)
                return "-" if c is None else str(c)
            if col in ("a/F", "b/F"):
                c = ip["calls"].get(name, {}).get(col[0])
                r = ip["calls"].get(ref, {}).get(col[0])
                return fmt_ratio(c / r) if c and r else "-"
            if col == "import":
                v = ip["import"].get(name, {}).get("cpu")
                return "-" if v is None else f"{v * 1e3:.0f}"
            if col == "import/F":
                v = ip["import"].get(name, {}).get("cpu")
                r = ip["import"].get(ref, {}).get("cpu")
                return fmt_ratio(v / r) if v and r else "-"
            if col == "rss":
                v = ip["rss_kb"].get(name)
                return "-" if v is None else f"{v / 1024:.1f}"
            if col == "rss/F":
                v, r = ip["rss_kb"].get(name), ip["rss_kb"].get(ref)
                return fmt_ratio(v / r) if v and r else "-"
            return "-"

        out.append("")
        out.append(_table(
            "Python calls per request (cProfile, (a) and (b)); import + app build CPU ms (fresh "
            "interpreter); RSS MiB of the in-process worker after 10,000 requests — each with its "
            "ratio to flask",
            names, ["a", "a/F", "b", "b/F", "import", "import/F", "rss", "rss/F"], extra,
            ["calls a", "ratio", "calls b", "ratio", "import", "ratio", "RSS", "ratio"]))
    for name, why in ip.get("skipped", {}).items():
        out.append(f"note: {name} skipped: {why.strip().splitlines()[-1] if why.strip() else why}")
    for name, fails in ip.get("failed", {}).items():
        out.append(f"note: {name} failed the check for {', '.join(sorted(fails))} (not timed)")
    return out


def _e2e_report(e2e: dict[str, t.Any], keys: list[str]) -> list[str]:
    out: list[str] = []
    for phase in e2e["phases"]:
        ref = phase["reference"]
        out.append("")
        out.append(f"END-TO-END: {phase['wsgi']} + {phase['asgi']}, wrk -t1 -c{e2e['connections']} "
                   f"-d{e2e['duration_s']:g}s, {e2e['reps']} repetition(s); reference {ref}")
        if ref not in phase["rps"]:
            out.append("  Flask did not run in this phase: no ratios.")
            continue
        for metric, title, unit, scale, hb in (
            ("rps", "requests/s", "req/s", 1, True),
            ("p99_us", "p99 latency", "ms", 1e-3, False),
            ("cpu_per_req", "server CPU per request", "µs", 1e6, False),
        ):
            text, ratios = ratio_table(title, phase[metric], ref, keys, unit, scale, hb)
            phase.setdefault("ratios", {})[metric] = ratios
            out.append(text)
        rss = phase["rss_kb"]
        out.append("worker RSS MiB after the warm-up (ratio to flask): " + ", ".join(
            f"{k} {v / 1024:.1f} ({fmt_ratio(v / rss[ref]) if rss.get(ref) else '-'})"
            for k, v in rss.items()))
        errs = {k: sum(sum(v) for v in per.values()) for k, per in phase["status_errors"].items()}
        bad = {k: v for k, v in errs.items() if v}
        if bad:
            out.append(f"note: unexpected error responses or socket errors: {bad}")
        for name, why in phase.get("skipped", {}).items():
            out.append(f"note: {name} skipped: {why.strip().splitlines()[-1] if why.strip() else why}")
        for name, fails in phase.get("failed", {}).items():
            out.append(f"note: {name} failed the check for {', '.join(sorted(fails))} (not loaded)")
    return out


# -- main ----------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="benchmarks/run", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="fewer, shorter repetitions (in-process under 3 minutes)")
    p.add_argument("--e2e", action="store_true", help="also run the servers under wrk")
    p.add_argument("--e2e-only", action="store_true", help="only the servers, no in-process run")
    p.add_argument("--frameworks", help="comma-separated subset (flask is always added): "
                   + ",".join(f.name for f in FRAMEWORKS))
    p.add_argument("--scenarios", default="abcdefgh", help="subset of the scenario letters a-h")
    p.add_argument("--reps", type=int, help="in-process repetitions (default 5 quick, 11 full)")
    p.add_argument("--target", type=float, help="CPU seconds per in-process batch (0.04 quick, 0.2 full)")
    p.add_argument("--duration", type=float, help="seconds per wrk run (2 quick, 3 full)")
    p.add_argument("--e2e-reps", type=int, help="wrk repetitions per scenario (1 quick, 2 full)")
    p.add_argument("--connections", type=int, default=16, help="wrk connections (default 16)")
    p.add_argument("--out", help="where to write the JSON results (default benchmarks/results/latest.json)")
    p.add_argument("--report", metavar="JSON", help="print the tables of a saved run and exit")
    p.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    p.add_argument("--chart", metavar="PNG", help="draw the chart of this run (or of --report) to PNG")
    args = p.parse_args(argv)
    # benchmarks/run changes to this folder; paths given on its command line
    # are relative to where it was called from.
    caller_cwd = os.environ.get("ERLEN_BENCH_CWD")
    if caller_cwd:
        for name in ("out", "report", "chart"):
            value = getattr(args, name)
            if value:
                setattr(args, name, os.path.join(caller_cwd, value))
    # A SIGTERM (a timeout, a kill) unwinds normally, so the servers started are stopped.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))

    global MARKDOWN
    MARKDOWN = args.markdown
    if args.report:
        with open(args.report) as f:
            res = json.load(f)
        print(report(res))
        if args.chart:
            import chart

            chart.draw(res, args.chart)
        return 0

    names = [f.name for f in FRAMEWORKS]
    if args.frameworks:
        wanted = {n.strip() for n in args.frameworks.split(",")} | {REFERENCE}
        unknown = wanted - set(names)
        if unknown:
            p.error(f"unknown frameworks: {', '.join(sorted(unknown))}")
        names = [n for n in names if n in wanted]
    keys = [k for k in "abcdefgh" if k in args.scenarios]
    frameworks = [FRAMEWORK_BY_NAME[n] for n in names]
    quick = args.quick
    res: dict[str, t.Any] = {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "mode": "quick" if quick else "full", "machine": machine(), "versions": versions(),
        "scenarios": keys, "scenario_names": {s.key: s.name for s in SCENARIOS},
    }
    out = args.out or os.path.join(RESULTS_DIR, "latest.json")
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)

    def save(data: dict[str, t.Any]) -> None:
        """Write the results so far, so an interrupted run keeps what it measured."""
        with open(out, "w") as f:
            json.dump(data, f, indent=1)

    t0 = time.monotonic()
    if not args.e2e_only:
        import inprocess

        reps = args.reps or (5 if quick else 11)
        target = args.target or (0.04 if quick else 0.2)
        log(f"in-process: {len(frameworks)} frameworks, scenarios {''.join(keys)}, {reps} rounds, "
            f"~{target:g} CPU s per batch")
        res["inprocess"] = inprocess.run(frameworks, keys, reps, target, 3 if quick else 7, 10_000, log)
        res["inprocess"].update(reps=reps, target=target)
        save(res)
    if args.e2e or args.e2e_only:
        import e2e

        duration = args.duration or (2 if quick else 3)
        reps = args.e2e_reps or (1 if quick else 2)
        log(f"end-to-end: {duration:g} s per wrk run, {reps} repetition(s), {args.connections} connections")
        res["e2e"] = e2e.run(frameworks, keys, reps, duration, args.connections, 10_000, log,
                             lambda part: save({**res, "e2e": part}))
    res["elapsed_s"] = round(time.monotonic() - t0)
    res["machine"]["loadavg_after"] = machine().get("loadavg", "")

    text = report(res)
    print(text)
    save(res)
    log(f"\nresults written to {out} ({res['elapsed_s']} s)")
    if args.chart:
        import chart

        chart.draw(res, args.chart)
        log(f"chart written to {args.chart}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
