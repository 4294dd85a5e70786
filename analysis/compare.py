"""Policies compared across a sweep: ``python3 -m analysis.compare RESULTS.h5 --out DIR``.

Reads the table ``/runs`` (docs/output-format.md, "Sweep results for analysis.compare"): one row
per run, with a ``policy`` column, the sweep point's parameter columns (named by the attribute
``parameters``), the metric columns (named by the attribute ``metrics``; by default every other
numeric column except ``replication`` and ``seed``), and optionally ``replication`` and ``seed``.

Runs of the same policy at the same point are replications: for each metric the tool reports their
mean and the Student-t 95 % confidence half-width, ``t(0.975, n-1) * s / sqrt(n)`` (none for n = 1),
and writes, for each metric, a figure ``compare_<metric>``: the metric against the first parameter,
one line per policy with the intervals as error bars (one panel per value of the other parameters),
or a bar per policy when the sweep has no parameters. ``comparison.csv`` holds the numbers.
"""
from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
from scipy import stats

from analysis.figures import plt, save
from analysis.trace import attribute_value, open_trace

_NOT_METRICS = {"policy", "replication", "seed"}


def load_runs(path) -> tuple[pd.DataFrame, list[str], list[str], dict]:
    """``/runs`` as a DataFrame (strings decoded), its parameter names, metric names, and units."""
    with open_trace(path) as file:
        if "runs" not in file or not isinstance(file["runs"], h5py.Dataset):
            raise KeyError("no /runs table (see docs/output-format.md, 'Sweep results for analysis.compare')")
        dataset = file["runs"]
        data = dataset[()]
        attributes = {name: attribute_value(value) for name, value in dataset.attrs.items()}
    frame = pd.DataFrame({name: data[name] for name in data.dtype.names})
    for name in frame.columns:
        if frame[name].dtype == object:
            frame[name] = frame[name].map(lambda v: v.decode("utf-8") if isinstance(v, bytes) else v)
    if "policy" not in frame.columns:
        raise KeyError("/runs has no 'policy' column")
    parameters = list(attributes.get("parameters", []))
    metrics = attributes.get("metrics")
    if metrics is None:
        metrics = [c for c in frame.columns
                   if c not in _NOT_METRICS and c not in parameters and np.issubdtype(frame[c].dtype, np.number)]
    missing = [c for c in parameters + list(metrics) if c not in frame.columns]
    if missing:
        raise KeyError(f"/runs names column {missing[0]!r} in its attributes but has no such column")
    units = {}
    if "columns" in attributes and "units" in attributes:
        units = dict(zip(attributes["columns"], attributes["units"]))
    return frame, parameters, list(metrics), units


def confidence_half_width(values: np.ndarray, level: float = 0.95) -> float:
    """Student-t half-width of the mean's confidence interval; NaN with fewer than two values."""
    values = values[np.isfinite(values)]
    if values.size < 2:
        return math.nan
    t = stats.t.ppf(0.5 + level / 2.0, values.size - 1)
    return float(t * values.std(ddof=1) / math.sqrt(values.size))


def summarise(frame: pd.DataFrame, parameters: list[str], metrics: list[str]) -> pd.DataFrame:
    """One row per (policy, point, metric): mean, ci95_half_width, replications."""
    rows = []
    keys = ["policy"] + parameters
    for key, runs in frame.groupby(keys if len(keys) > 1 else keys[0], sort=True):
        key = key if isinstance(key, tuple) else (key,)
        for metric in metrics:
            values = runs[metric].to_numpy(dtype=float)
            finite = values[np.isfinite(values)]
            rows.append({**dict(zip(["policy"] + parameters, key)),
                         "metric": metric,
                         "mean": float(finite.mean()) if finite.size else math.nan,
                         "ci95_half_width": confidence_half_width(values),
                         "replications": int(finite.size)})
    return pd.DataFrame(rows)


def _label(name: str, units: dict) -> str:
    unit = units.get(name, "")
    return f"{name} [{unit}]" if unit else name


def plot_metric(table: pd.DataFrame, metric: str, parameters: list[str], units: dict, out: Path) -> list[Path]:
    rows = table[table["metric"] == metric]
    policies = sorted(rows["policy"].unique())
    if not parameters:
        figure, axis = plt.subplots(figsize=(max(4, 1.2 * len(policies) + 2), 4))
        means = [rows.loc[rows["policy"] == p, "mean"].iloc[0] for p in policies]
        errors = [rows.loc[rows["policy"] == p, "ci95_half_width"].iloc[0] for p in policies]
        axis.bar(policies, means, yerr=np.nan_to_num(errors), capsize=4,
                 color=[f"C{i}" for i in range(len(policies))])
        axis.set_xlabel("policy")
        axis.set_ylabel(_label(metric, units))
        axis.set_title(f"{metric}: mean and 95 % confidence interval over replications")
        axis.grid(axis="y", alpha=0.3)
        return save(figure, out, f"compare_{metric}")
    x, others = parameters[0], parameters[1:]
    # One panel per combination of the other parameters that the sweep has.
    panels = [()]
    if others:
        groups = rows.groupby(others if len(others) > 1 else others[0], sort=True).groups
        panels = [k if isinstance(k, tuple) else (k,) for k in groups]
    figure, axes = plt.subplots(1, len(panels), figsize=(5 * len(panels) + 1, 4), squeeze=False, sharey=True)
    for axis, panel in zip(axes[0], panels):
        selected = rows
        for name, value in zip(others, panel):
            selected = selected[selected[name] == value]
        for index, policy in enumerate(policies):
            line = selected[selected["policy"] == policy].sort_values(x)
            if len(line):
                axis.errorbar(line[x], line["mean"], yerr=np.nan_to_num(line["ci95_half_width"].to_numpy()),
                              marker="o", capsize=4, color=f"C{index}", label=policy)
        axis.set_xlabel(_label(x, units))
        if others:
            axis.set_title(", ".join(f"{n} = {v}" for n, v in zip(others, panel)))
        axis.grid(alpha=0.3)
    axes[0][0].set_ylabel(_label(metric, units))
    axes[0][0].legend(title="policy")
    figure.suptitle(f"{metric}: mean and 95 % confidence interval over replications")
    return save(figure, out, f"compare_{metric}")


def compare(path, out) -> list[Path]:
    """Writes comparison.csv and one figure per metric into ``out``; returns the files written."""
    out = Path(out)
    frame, parameters, metrics, units = load_runs(path)
    table = summarise(frame, parameters, metrics)
    out.mkdir(parents=True, exist_ok=True)
    csv = out / "comparison.csv"
    table.to_csv(csv, index=False)
    written = [csv]
    for metric in metrics:
        # A metric no run defines (accuracy without early exits) stays in the CSV, without a figure.
        if table.loc[table["metric"] == metric, "mean"].notna().any():
            written += plot_metric(table, metric, parameters, units, out)
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m analysis.compare", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", help="HDF5 file with a /runs table")
    parser.add_argument("--out", required=True, help="directory for the figures and comparison.csv")
    arguments = parser.parse_args(argv)
    try:
        written = compare(arguments.results, arguments.out)
    except (OSError, KeyError) as error:
        print(f"analysis.compare: {arguments.results}: {error}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
