"""The chart for docs/benchmarks.md: ratio-to-Flask heatmaps (matplotlib, Agg)."""

from __future__ import annotations

import math
import typing as t


def _heatmap(ax: t.Any, rows: list[str], cols: list[str], values: list[list[float | None]],
             title: str, higher_better: bool, breaks: list[int]) -> None:
    import matplotlib.colors as mcolors
    import numpy as np

    data = np.array([[math.log2(v) if v else np.nan for v in row] for row in values], dtype=float)
    lim = max(1.0, float(np.nanmax(np.abs(data)))) if np.isfinite(data).any() else 1.0
    cmap = "RdYlGn" if higher_better else "RdYlGn_r"
    ax.imshow(data, cmap=cmap, norm=mcolors.Normalize(-lim, lim), aspect="auto")
    ax.set_xticks(range(len(cols)), cols)
    ax.set_yticks(range(len(rows)), rows)
    ax.xaxis.tick_top()
    for i, row in enumerate(values):
        for j, v in enumerate(row):
            ax.text(j, i, "-" if v is None else f"{v:.2f}", ha="center", va="center", fontsize=8)
    ax.set_title(title, fontsize=10, pad=24)
    ax.axvline(len(cols) - 1.5, color="black", linewidth=1)
    for row in breaks:
        ax.axhline(row - 0.5, color="black", linewidth=1.5)


def draw(res: dict[str, t.Any], path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # Importing bench computes the ratios as a side effect of report().
    from bench import report

    report(res)
    names = res.get("scenario_names", {})
    keys = res["scenarios"]
    cols = [f"({k}) {names.get(k, k)}" for k in keys] + ["geomean"]
    panels = []
    ip = res.get("inprocess")
    if ip and ip.get("ratios"):
        rows = [n for n in ip["frameworks"] if n in ip["ratios"]]
        vals = [[ip["ratios"][n].get(k) for k in [*keys, "geomean"]] for n in rows]
        panels.append((rows, vals, "In-process CPU time per request, ratio to Flask (lower is better)", False, []))
    e2e = res.get("e2e")
    if e2e:
        rows, vals, breaks = [], [], []
        for phase in e2e["phases"]:
            if rows:
                breaks.append(len(rows))
            ratios = phase.get("ratios", {}).get("rps", {})
            for label in phase["labels"]:
                if label in ratios:
                    rows.append(label)
                    vals.append([ratios[label].get(k) for k in [*keys, "geomean"]])
        if rows:
            panels.append((rows, vals, "End-to-end requests/s under wrk, ratio to Flask on the same "
                                       "phase's WSGI server (higher is better)", True, breaks))
    if not panels:
        return
    heights = [0.42 * len(p[0]) + 1.6 for p in panels]
    fig, axes = plt.subplots(len(panels), 1, figsize=(12, sum(heights)),
                             gridspec_kw={"height_ratios": heights}, squeeze=False)
    for ax, (rows, vals, title, hb, br) in zip(axes[:, 0], panels, strict=True):
        _heatmap(ax, rows, cols, vals, title, hb, br)
    fig.suptitle(f"erlen benchmarks, {res['date'][:10]}, {res['machine'].get('cpus')} shared cores "
                 f"({res['mode']} run); colours on a log scale", fontsize=11)
    fig.tight_layout(rect=(0, 0, 1, 0.98))
    fig.savefig(path, dpi=110)
    plt.close(fig)
