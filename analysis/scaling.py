"""Scaling figures from `bench/scaling`'s CSV: run time against events (devices and arrival-rate
sweeps), with a least-squares line per sweep, and run time and peak memory against devices.

  /usr/bin/python3 -m analysis.scaling scaling.csv --out docs/figures/

Writes scaling_wall_vs_events.{png,svg}, scaling_devices.{png,svg} and scaling_fit.csv (per sweep:
intercept_s, seconds_per_event, r_squared, points) and prints the fits. Linear in events means a
constant seconds_per_event and r_squared close to 1. Run time is the process's CPU time (`cpu_s`)
when the CSV has it — it does not count time lost to other jobs on a shared machine — else `wall_s`.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.figures import plt, save

COLUMNS = ("sweep", "devices", "rate_per_device", "events", "wall_s", "peak_rss_mib")


def read(path) -> pd.DataFrame:
    table = pd.read_csv(path)
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise KeyError(f"missing columns {', '.join(missing)} (expected those of bench/scaling)")
    return table


def time_column(table: pd.DataFrame) -> str:
    return "cpu_s" if "cpu_s" in table.columns else "wall_s"


def fit(points: pd.DataFrame) -> dict:
    """time = intercept_s + seconds_per_event · events, least squares, with its R²."""
    events, wall = points["events"].to_numpy(float), points[time_column(points)].to_numpy(float)
    slope, intercept = np.polyfit(events, wall, 1)
    residual = wall - (intercept + slope * events)
    total = ((wall - wall.mean()) ** 2).sum()
    r_squared = 1.0 - (residual**2).sum() / total if total > 0 else 1.0
    return {"intercept_s": intercept, "seconds_per_event": slope, "r_squared": r_squared, "points": len(points)}


def fits(table: pd.DataFrame) -> pd.DataFrame:
    rows = [{"sweep": sweep, **fit(points)} for sweep, points in table.groupby("sweep", sort=True) if len(points) >= 2]
    return pd.DataFrame(rows, columns=["sweep", "intercept_s", "seconds_per_event", "r_squared", "points"])


def wall_vs_events(table: pd.DataFrame, fitted: pd.DataFrame, out: Path) -> list[Path]:
    figure, axis = plt.subplots(figsize=(6, 4))
    column = time_column(table)
    for sweep, points in table.groupby("sweep", sort=True):
        axis.plot(points["events"], points[column], "o", label=f"{sweep} sweep")
        line = fitted[fitted.sweep == sweep]
        if not line.empty:
            row = line.iloc[0]
            x = np.linspace(0, points["events"].max(), 50)
            axis.plot(x, row.intercept_s + row.seconds_per_event * x, "-", alpha=0.6,
                      label=f"{sweep}: {row.seconds_per_event * 1e9:.0f} ns/event, R² = {row.r_squared:.4f}")
    axis.set_xlabel("events")
    axis.set_ylabel(f"{'CPU' if column == 'cpu_s' else 'wall'} time [s]")
    axis.set_title("Run time against events")
    axis.legend(fontsize=8)
    return save(figure, out, "scaling_wall_vs_events")


def devices(table: pd.DataFrame, out: Path) -> list[Path]:
    points = table[table.sweep == "devices"].sort_values("devices")
    column = time_column(table)
    label = "CPU" if column == "cpu_s" else "wall"
    figure, (time_axis, memory_axis) = plt.subplots(1, 2, figsize=(9, 3.8))
    time_axis.loglog(points["devices"], points[column], "o-", label=f"{label} time")
    time_axis.set_xlabel("devices")
    time_axis.set_ylabel(f"{label} time [s]")
    time_axis.set_title("Run time against devices")
    rate = points["events"] / points[column]
    twin = time_axis.twinx()
    twin.semilogx(points["devices"], rate / 1e6, "s--", color="tab:orange", label="events/s")
    twin.set_ylabel("M events/s")
    memory_axis.loglog(points["devices"], points["peak_rss_mib"], "o-", color="tab:green")
    memory_axis.set_xlabel("devices")
    memory_axis.set_ylabel("peak RSS [MiB]")
    memory_axis.set_title("Peak memory against devices")
    return save(figure, out, "scaling_devices")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m analysis.scaling", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("csv", help="CSV written by bench/scaling")
    parser.add_argument("--out", required=True, help="directory for the figures (created if missing)")
    arguments = parser.parse_args(argv)
    out = Path(arguments.out)
    try:
        table = read(arguments.csv)
    except (OSError, KeyError, pd.errors.ParserError) as error:
        print(f"analysis.scaling: {arguments.csv}: {error}", file=sys.stderr)
        return 2
    fitted = fits(table)
    written = wall_vs_events(table, fitted, out)
    if (table.sweep == "devices").any():
        written += devices(table, out)
    out.mkdir(parents=True, exist_ok=True)
    fitted.to_csv(out / "scaling_fit.csv", index=False)
    written.append(out / "scaling_fit.csv")
    for row in fitted.itertuples():
        print(f"{row.sweep}: {row.seconds_per_event * 1e9:.1f} ns/event + {row.intercept_s:.3f} s, "
              f"R² = {row.r_squared:.5f} over {row.points} points", file=sys.stderr)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
