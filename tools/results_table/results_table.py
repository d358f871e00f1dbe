#!/usr/bin/env python3
"""Markdown tables of AUC and r² per event, step and experiment from `slidemap run` outputs.

Usage: python3 tools/results_table/results_table.py OUT_DIR [OUT_DIR ...]
Each OUT_DIR is the --out folder of one `slidemap run`; reads its metrics.csv (stdlib only).
Same-event/global/SAR-only: one row per event and step. Hold-out: one row per event and
training extent at the first and last step.
"""
import csv
import sys
from collections import defaultdict


def fmt(mean, sd):
    m = float(mean)
    s = float(sd) if sd not in ("", None) else 0.0
    return f"{m:.3f} ± {s:.3f}" if s > 0 else f"{m:.3f}"


def best_baseline(row):
    best = None
    for k, v in row.items():
        if k.startswith("baseline_auc_") and k != "baseline_auc_usgs_ground_failure" and v:
            if best is None or float(v) > best[1]:
                best = (k[len("baseline_auc_"):], float(v))
    return f"{best[0]} {best[1]:.3f}" if best else "–"


def main(dirs):
    timeline = defaultdict(dict)  # (event, step) -> {experiment: (auc, r2)}
    meta = {}
    holdout = []
    for d in dirs:
        with open(f"{d}/metrics.csv", newline="") as f:
            for r in csv.DictReader(f):
                key = (r["event"], int(r["step"]))
                if r["experiment"] == "holdout":
                    holdout.append(r)
                    continue
                timeline[key][r["experiment"]] = (fmt(r["auc"], r["auc_sd"]), fmt(r["r2"], r["r2_sd"]))
                if r["experiment"] == "same-event" or key not in meta:
                    gf = r.get("baseline_auc_usgs_ground_failure") or ""
                    meta[key] = (r["days_after_event"], r["sensor"], best_baseline(r),
                                 f"{float(gf):.3f}" if gf else "–")
    exps = [e for e in ("same-event", "global", "sar-only")
            if any(e in v for v in timeline.values())]
    if timeline:
        head = ["event", "step", "days", "added"] + [f"{e} AUC / r²" for e in exps] + [
            "best single coherence AUC", "ground-failure AUC"]
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for (ev, st) in sorted(timeline):
            days, sensor, bb, gf = meta[(ev, st)]
            cells = []
            for e in exps:
                a = timeline[(ev, st)].get(e)
                cells.append(f"{a[0]} / {a[1]}" if a else "–")
            print(f"| {ev.replace(' (synthetic)', '')} | {st} | {days} | {sensor} | " + " | ".join(cells) + f" | {bb} | {gf} |")
    if holdout:
        print()
        steps = defaultdict(list)
        for r in holdout:
            steps[(r["event"], float(r["training_extent"]))].append(r)
        print("| event | training extent | AUC step 0 | AUC last step | r² step 0 | r² last step |")
        print("|---|---|---|---|---|---|")
        for (ev, ext) in sorted(steps, key=lambda k: (k[0], -k[1])):
            rs = sorted(steps[(ev, ext)], key=lambda r: int(r["step"]))
            a, b = rs[0], rs[-1]
            print(f"| {ev.replace(' (synthetic)', '')} | {ext:g} | {fmt(a['auc'], a['auc_sd'])} | {fmt(b['auc'], b['auc_sd'])} | {fmt(a['r2'], a['r2_sd'])} | {fmt(b['r2'], b['r2_sd'])} |")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
