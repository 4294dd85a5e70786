"""The standard figures of one run: ``python3 -m analysis.plot TRACE.h5 --out DIR``.

Writes, each as PNG and SVG:
  latency_cdf          empirical CDF of the latency of completed, measured requests
  latency_over_time    mean and 95th percentile of latency per time bin (by completion time)
  devices              utilisation, queue length and power of each device group over time
  links                utilisation and flows of each topology link over time (if the run had links)
  energy_cost          energy and cost per device group and network (from the summary)
  loss_over_time       lost requests per time bin, by cause, and the loss ratio
  exit_distribution    share of answered inputs per exit gate, with the accuracy at each gate
                       (from /early_exit; else from the exit gate of /requests)
  faas_instances       instances (total and busy) of each FaaS function over time, and its cold
                       starts and rejections per sampling interval (if the trace has /faas)
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import trace
from analysis.figures import plt, save

# Time bins of the over-time figures; fewer when the run has few requests.
_TIME_BINS = 100
# Points drawn for a CDF: quantiles of the sorted sample, so a 10^7-row trace stays a small SVG.
_CDF_POINTS = 2000


def _warmup_band(axis, warmup: float) -> None:
    if warmup > 0:
        axis.axvspan(0, warmup, color="0.9", label="warm-up (discarded)")


def latency_cdf(requests: pd.DataFrame, summary: dict, out: Path) -> list[Path]:
    latency = np.sort(requests["latency"].to_numpy())
    figure, axis = plt.subplots(figsize=(6, 4))
    if latency.size:
        probabilities = np.linspace(0.0, 1.0, min(_CDF_POINTS, latency.size))
        axis.plot(np.quantile(latency, probabilities), probabilities, color="C0", label="trace")
        statistics = summary.get("latency", {})
        for key, style in (("mean", "--"), ("p95", ":"), ("p99", "-.")):
            if statistics.get(key) is not None:
                axis.axvline(statistics[key], color="C3", linestyle=style, label=f"{key} = {statistics[key]:.4g} s")
        axis.legend(loc="lower right")
    axis.set_xlabel("latency [s]")
    axis.set_ylabel("P(latency ≤ x)")
    axis.set_ylim(0, 1.02)
    axis.set_title(f"Latency CDF ({latency.size} completed requests after warm-up)")
    axis.grid(alpha=0.3)
    return save(figure, out, "latency_cdf")


def _bins(start: float, end: float, count: int) -> np.ndarray:
    return np.linspace(start, end if end > start else start + 1.0, max(2, min(_TIME_BINS, count // 20 + 2)))


def latency_over_time(completed: pd.DataFrame, warmup: float, out: Path) -> list[Path]:
    figure, axis = plt.subplots(figsize=(7, 4))
    _warmup_band(axis, warmup)
    if len(completed):
        edges = _bins(0.0, float(completed["finish"].max()), len(completed))
        groups = completed.groupby(pd.cut(completed["finish"], edges, include_lowest=True), observed=True)["latency"]
        centres = np.array([interval.mid for interval in groups.mean().index])
        axis.plot(centres, groups.mean().to_numpy(), marker=".", label="mean")
        axis.plot(centres, groups.quantile(0.95).to_numpy(), marker=".", label="95th percentile")
    axis.set_xlabel("completion time [s]")
    axis.set_ylabel("latency [s]")
    axis.set_title("Latency over time (all completed requests)")
    axis.legend()
    axis.grid(alpha=0.3)
    return save(figure, out, "latency_over_time")


def devices(series: pd.DataFrame, warmup: float, out: Path) -> list[Path]:
    figure, axes = plt.subplots(3, 1, figsize=(7, 8), sharex=True)
    for name, rows in series.groupby("device", sort=False):
        axes[0].plot(rows["time"], rows["utilization"], label=name)
        axes[1].plot(rows["time"], rows["queue_length"], label=name)
        axes[2].plot(rows["time"], rows["power"], label=name)
    for axis, label in zip(axes, ("utilisation", "requests in system", "power [W]")):
        _warmup_band(axis, warmup)
        axis.set_ylabel(label)
        axis.grid(alpha=0.3)
    axes[0].set_title("Device groups over time")
    axes[0].legend(fontsize="small", ncol=2)
    axes[2].set_xlabel("time [s]")
    return save(figure, out, "devices")


def links(series: pd.DataFrame, warmup: float, out: Path) -> list[Path]:
    figure, axes = plt.subplots(2, 1, figsize=(7, 6), sharex=True)
    for name, rows in series.groupby("link", sort=False):
        axes[0].plot(rows["time"], rows["utilization"], label=name)
        axes[1].step(rows["time"], rows["flows"], where="post", label=name)
    for axis, label in zip(axes, ("utilisation", "active flows")):
        _warmup_band(axis, warmup)
        axis.set_ylabel(label)
        axis.grid(alpha=0.3)
    axes[0].set_title("Network links over time")
    axes[0].legend(fontsize="small", ncol=2)
    axes[1].set_xlabel("time [s]")
    return save(figure, out, "links")


def energy_cost(summary: dict, out: Path) -> list[Path]:
    energy = dict(summary.get("energy", {}).get("by_device_j", {}))
    energy["network"] = summary.get("energy", {}).get("network_j", 0.0)
    cost = dict(summary.get("cost", {}).get("by_device", {}))
    cost["network"] = summary.get("cost", {}).get("network", 0.0)
    figure, axes = plt.subplots(1, 2, figsize=(9, 4))
    for axis, values, label, total, unit in (
        (axes[0], energy, "energy [J]", summary.get("energy", {}).get("total_j"), "J"),
        (axes[1], cost, "cost [money]", summary.get("cost", {}).get("total"), "money units"),
    ):
        names = list(values)
        axis.bar(names, [values[n] or 0.0 for n in names], color=[f"C{i}" for i in range(len(names))])
        axis.set_ylabel(label)
        axis.set_title(f"total {total:.4g} {unit}" if total is not None else "")
        axis.tick_params(axis="x", rotation=30)
        axis.grid(axis="y", alpha=0.3)
    figure.suptitle("Energy and cost over the measured window, per device group and network")
    return save(figure, out, "energy_cost")


def loss_over_time(requests: pd.DataFrame, warmup: float, out: Path) -> list[Path]:
    figure, axes = plt.subplots(2, 1, figsize=(7, 6), sharex=True)
    _warmup_band(axes[0], warmup)
    _warmup_band(axes[1], warmup)
    if len(requests):
        edges = _bins(0.0, float(requests["finish"].max()), len(requests))
        bins = pd.cut(requests["finish"], edges, include_lowest=True)
        lost = requests["drop_reason"] >= 0
        centres = np.array([interval.mid for interval in bins.cat.categories])
        width = float(edges[1] - edges[0])
        bottom = np.zeros(len(centres))
        causes = requests.loc[lost, "drop_cause"].astype(str)
        for cause in sorted(causes.unique()):
            counts = bins[lost][causes == cause].value_counts(sort=False).reindex(bins.cat.categories).fillna(0)
            axes[0].bar(centres, counts.to_numpy(), width=width, bottom=bottom, label=cause)
            bottom += counts.to_numpy()
        totals = bins.value_counts(sort=False).reindex(bins.cat.categories).to_numpy()
        with np.errstate(invalid="ignore", divide="ignore"):
            axes[1].plot(centres, np.where(totals > 0, bottom / totals, np.nan), marker=".")
        if lost.any():
            axes[0].legend(title="cause")
        else:
            axes[0].text(0.5, 0.5, "no request was lost", transform=axes[0].transAxes, ha="center")
    axes[0].set_ylabel("lost requests per bin")
    axes[1].set_ylabel("loss ratio")
    axes[1].set_xlabel("time the request finished or was lost [s]")
    axes[0].set_title("Loss over time")
    for axis in axes:
        axis.grid(alpha=0.3)
    return save(figure, out, "loss_over_time")


def exit_distribution(gates: pd.Series, out: Path, correct: pd.Series | None = None,
                      names: list[str] | None = None) -> list[Path]:
    """Share of answered inputs per gate; with ``correct`` (aligned with ``gates``), the accuracy
    of the answers given at each gate on a second axis."""
    taken = gates >= 0
    counts = gates[taken].value_counts().sort_index()
    if names:  # every gate of the network, the unused ones at 0
        counts = counts.reindex(range(len(names)), fill_value=0)
    figure, axis = plt.subplots(figsize=(max(6, 0.7 * len(counts)), 4))
    shares = counts / counts.sum()
    labels = [f"{g}: {names[g]}" if names and 0 <= g < len(names) else str(g) for g in counts.index]
    if names and max(map(len, labels)) > 6:
        axis.tick_params(axis="x", rotation=30)
    axis.bar(labels, shares.to_numpy(), color="C0", label="share of answers")
    axis.set_xlabel("exit gate (0 = shallowest)")
    axis.set_ylabel("share of answered inputs")
    if correct is not None and len(counts):
        accuracy = correct[taken].groupby(gates[taken]).mean().reindex(counts.index)
        right = axis.twinx()
        right.plot(labels, accuracy.to_numpy(), color="C3", marker="o", label="accuracy at the gate")
        right.set_ylabel("accuracy of its answers")
        right.set_ylim(0, 1.02)
        right.legend(loc="upper left")
        overall = float(correct[taken].mean())
        axis.set_title(f"Exit distribution ({int(counts.sum())} inputs, accuracy {overall:.3f})")
    else:
        axis.set_title(f"Exit distribution ({int(counts.sum())} requests)")
    axis.grid(axis="y", alpha=0.3)
    return save(figure, out, "exit_distribution")


def faas_instances(series: pd.DataFrame, warmup: float, out: Path) -> list[Path]:
    events = [c for c in ("cold_starts", "rejections") if c in series.columns]
    figure, axes = plt.subplots(2 if events else 1, 1, figsize=(7, 6 if events else 4), sharex=True, squeeze=False)
    axes = axes[:, 0]
    for index, (name, rows) in enumerate(series.groupby("function", sort=False)):
        colour = f"C{index}"
        axes[0].step(rows["time"], rows["instances"], where="post", color=colour, label=f"{name}: loaded")
        if "busy" in rows.columns:
            axes[0].step(rows["time"], rows["busy"], where="post", color=colour, linestyle=":",
                         label=f"{name}: busy")
        for column, style in zip(events, ("-", "--")):
            axes[1].step(rows["time"], rows[column], where="post", color=colour, linestyle=style,
                         label=f"{name}: {column.replace('_', ' ')}")
    axes[0].set_ylabel("instances")
    axes[0].set_title("FaaS instances over time")
    if events:
        axes[1].set_ylabel("per sampling interval")
    for axis in axes:
        _warmup_band(axis, warmup)
        axis.legend(fontsize="small")
        axis.grid(alpha=0.3)
    axes[-1].set_xlabel("time [s]")
    return save(figure, out, "faas_instances")


def plot_trace(path, out) -> list[Path]:
    """Writes every figure the trace has data for into ``out``; returns the files written."""
    out = Path(out)
    written: list[Path] = []
    with trace.open_trace(path) as file:
        attributes = trace.read_attributes(file)
        warmup = float(attributes.get("warmup", 0.0))
        summary = trace.load_summary(file)
        if trace.has_table(file, "requests"):
            requests = trace.load_requests(file)
            completed = requests[requests["drop_reason"] < 0]
            measured = completed[completed["measured"] == 1]
            written += latency_cdf(measured, summary, out)
            written += latency_over_time(completed, warmup, out)
            written += loss_over_time(requests, warmup, out)
        inputs = trace.load_early_exit(file, measured_only=True, answered_only=True)
        if len(inputs):
            gate_names = trace.attribute_value(file["early_exit"].attrs.get("gates", []))
            written += exit_distribution(inputs["gate"], out, inputs["correct"], list(gate_names))
        elif trace.has_table(file, "requests") and (requests["exit_gate"] >= 0).any():
            written += exit_distribution(requests["exit_gate"], out)
        device_series = trace.load_devices(file)
        if len(device_series):
            written += devices(device_series, warmup, out)
        link_series = trace.load_links(file)
        if len(link_series):
            written += links(link_series, warmup, out)
        written += energy_cost(summary, out)
        faas = trace.load_faas(file)
        if len(faas) and "instances" in faas.columns:
            written += faas_instances(faas, warmup, out)
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m analysis.plot", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("trace", help="HDF5 trace written by `continuum run --trace`")
    parser.add_argument("--out", required=True, help="directory for the figures (created if missing)")
    arguments = parser.parse_args(argv)
    try:
        written = plot_trace(arguments.trace, arguments.out)
    except (OSError, KeyError) as error:
        print(f"analysis.plot: {arguments.trace}: {error}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
