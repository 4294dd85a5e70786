"""The analysis kit against real traces of the built `continuum` program (CONTINUUM_BINARY).

Run by CTest (tests/analysis/CMakeLists.txt), or by hand:
  CONTINUUM_BINARY=build/continuum PYTHONPATH=. /usr/bin/python3 -m unittest discover -s tests/analysis -v
"""
import glob
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

import h5py
import numpy as np
import pandas as pd

from analysis import compare, trace

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "minimal.yaml"


def binary() -> str:
    path = os.environ.get("CONTINUUM_BINARY")
    if not path or not os.access(path, os.X_OK):
        raise RuntimeError("set CONTINUUM_BINARY to the built continuum program")
    return path


def continuum(*arguments, **options) -> subprocess.CompletedProcess:
    return subprocess.run([binary(), *map(str, arguments)], capture_output=True, text=True, **options)


def python_module(module, *arguments) -> subprocess.CompletedProcess:
    environment = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", module, *map(str, arguments)], capture_output=True, text=True,
                          env=environment)


class ScratchDirectory(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = Path(tempfile.mkdtemp(prefix="continuum_analysis_"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)


class TraceOfTheMinimalScenario(ScratchDirectory):
    """`continuum run scenarios/minimal.yaml --trace`: an M/M/1 queue at rho = 0.8."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.trace = cls.dir / "out.h5"
        cls.json = cls.dir / "out.json"
        result = continuum("run", SCENARIO, "--horizon", "5000s", "--warmup", "500s", "--trace", cls.trace,
                           "--trace-interval", "10s", "--json", cls.json, "-q")
        if result.returncode != 0:
            raise RuntimeError(f"continuum run failed: {result.stderr}")
        cls.summary = json.loads(cls.json.read_text())

    def test_the_mean_latency_of_measured_completed_requests_equals_the_summary(self):
        requests = trace.load_requests(self.trace, measured_only=True, completed_only=True)
        self.assertEqual(len(requests), self.summary["requests"]["completed"])
        expected = self.summary["latency"]["mean"]
        self.assertAlmostEqual(requests["latency"].mean(), expected, delta=1e-9 * expected)

    def test_every_request_has_one_row_and_lost_ones_have_no_latency(self):
        requests = trace.load_requests(self.trace)
        self.assertEqual(sorted(requests["id"]), list(range(len(requests))))
        self.assertEqual(int((requests["measured"] == 1).sum()), self.summary["requests"]["offered"])
        self.assertTrue(requests.loc[requests["drop_reason"] >= 0, "latency"].isna().all())
        self.assertTrue((requests.loc[requests["measured"] == 0, "arrival"] < 500.0).all())

    def test_the_trace_carries_its_provenance_and_summary(self):
        attributes = trace.read_attributes(self.trace)
        self.assertEqual(attributes["format"], "continuum-trace")
        self.assertEqual(attributes["scenario_name"], "minimal")
        self.assertEqual(attributes["scenario_hash"], self.summary["scenario"]["hash"])
        self.assertIn("simulation.horizon=5000s", attributes["overrides"])
        self.assertEqual(attributes["parameters"]["trace"]["interval"], 10.0)
        self.assertIn("server", attributes["scenario_text"])
        self.assertEqual(trace.load_summary(self.trace)["requests"], self.summary["requests"])
        self.assertEqual(trace.summary_metrics(self.trace)["offered"], self.summary["requests"]["offered"])
        self.assertEqual(trace.column_units(self.trace, "requests")["latency"], "s")

    def test_device_samples_follow_the_interval_and_average_to_the_utilisation(self):
        devices = trace.load_devices(self.trace)
        self.assertEqual(list(devices["device"].unique()), ["server"])
        self.assertEqual(len(devices), 500)  # 5000 s / 10 s
        measured = devices[devices["time"] > 500.0]
        self.assertAlmostEqual(measured["utilization"].mean(), self.summary["devices"]["server"]["utilization"],
                               delta=1e-9)
        self.assertTrue(trace.load_links(self.trace).empty)  # no topology in this scenario

    def test_plot_writes_labelled_png_and_svg_figures(self):
        out = self.dir / "figures"
        result = python_module("analysis.plot", self.trace, "--out", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        for name in ("latency_cdf", "latency_over_time", "devices", "energy_cost", "loss_over_time"):
            for extension in ("png", "svg"):
                path = out / f"{name}.{extension}"
                self.assertTrue(path.is_file(), path)
                self.assertGreater(path.stat().st_size, 1000, path)
        self.assertEqual((out / "latency_cdf.png").read_bytes()[:8], b"\x89PNG\r\n\x1a\n")
        self.assertIn("latency [s]", (out / "latency_cdf.svg").read_text())
        self.assertIn("power [W]", (out / "devices.svg").read_text())
        # This run has no early exits and no FaaS: those figures are not drawn.
        self.assertFalse((out / "exit_distribution.png").exists())
        self.assertFalse((out / "faas_instances.png").exists())

    def test_a_sampled_trace_keeps_about_the_fraction_and_only_the_chosen_tables(self):
        path = self.dir / "sampled.h5"
        result = continuum("run", SCENARIO, "--horizon", "5000s", "--warmup", "500s", "--trace", path,
                           "--trace-filter", "requests", "--trace-sample", "0.1", "-q", "--json", self.dir / "s.json")
        self.assertEqual(result.returncode, 0, result.stderr)
        with h5py.File(path, "r") as file:
            self.assertNotIn("devices", file)
            seen = int(file["requests"].attrs["requests_seen"])
            kept = file["requests"].shape[0]
        self.assertLess(abs(kept - 0.1 * seen), 5 * math.sqrt(seen * 0.1 * 0.9))

    def test_bad_trace_options_are_refused_with_the_known_names(self):
        result = continuum("run", SCENARIO, "--horizon", "5000s", "--trace", self.dir / "bad.h5",
                           "--trace-filter", "requests,gpus", "-q")
        self.assertEqual(result.returncode, 2)
        self.assertIn("known: requests, devices, links, faas, early_exit, all", result.stderr)
        self.assertFalse((self.dir / "bad.h5").exists())


def figure_files(out: Path, name: str) -> list:
    return [out / f"{name}.{extension}" for extension in ("png", "svg")]


class TracedShippedScenario(ScratchDirectory):
    """Runs scenarios/<SCENARIO> once with --trace (and ARGUMENTS) for the tests of a subclass."""
    SCENARIO = ""
    ARGUMENTS: tuple = ()

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.trace = cls.dir / "trace.h5"
        cls.json = cls.dir / "summary.json"
        result = continuum("run", ROOT / "scenarios" / cls.SCENARIO, *cls.ARGUMENTS, "--trace", cls.trace,
                           "--json", cls.json, "-q")
        if result.returncode != 0:
            raise RuntimeError(f"continuum run failed: {result.stderr}")
        cls.summary = json.loads(cls.json.read_text())


class TraceOfTheFaasSingleFunctionScenario(TracedShippedScenario):
    """scenarios/faas_single_function.yaml (SimFaaS's example) over 20000 s, sampled every 50 s."""
    SCENARIO = "faas_single_function.yaml"
    ARGUMENTS = ("--horizon", "20000s", "--trace-interval", "50s")

    def test_the_function_series_agree_with_the_summary(self):
        faas = trace.load_faas(self.trace)
        self.assertEqual(list(faas["function"].unique()), ["worker"])
        self.assertEqual(len(faas), 400)  # 20000 s / 50 s
        report = self.summary["faas"]["worker"]
        # No warm-up: the interval counts of the whole run are the function's counts.
        self.assertEqual(int(faas["cold_starts"].sum()), report["cold_starts"])
        self.assertEqual(int(faas["rejections"].sum()), report["rejections"])
        self.assertEqual(int(faas["invocations"].sum()), report["arrivals"] - report["rejections"])
        self.assertTrue((faas["instances"] == faas["busy"] + faas["idle"]).all())
        self.assertTrue((faas["busy"] == faas["in_flight"]).all())  # concurrency 1
        # Snapshots of the same path: their mean is close to its time average (SimFaaS: about 7.7).
        self.assertAlmostEqual(faas["instances"].mean(), report["average_instances"],
                               delta=0.1 * report["average_instances"])
        self.assertAlmostEqual(faas["cost"].iloc[-1], self.summary["cost"]["faas"], delta=1e-9 * self.summary["cost"]["faas"])

    def test_request_costs_add_up_to_the_summary_cost(self):
        requests = trace.load_requests(self.trace, columns=["cost"])
        self.assertTrue((requests["cost"] > 0).all())
        total = self.summary["cost"]["total"]
        # float32 costs: the sums agree to ~1e-7.
        self.assertAlmostEqual(requests["cost"].astype("float64").sum() + self.summary["cost"]["devices"], total,
                               delta=1e-6 * total)

    def test_plot_draws_the_faas_instances(self):
        out = self.dir / "figures"
        result = python_module("analysis.plot", self.trace, "--out", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        for path in figure_files(out, "faas_instances"):
            self.assertTrue(path.is_file(), path)
            self.assertGreater(path.stat().st_size, 1000, path)
        svg = (out / "faas_instances.svg").read_text()
        self.assertIn("FaaS instances over time", svg)
        self.assertIn("worker: loaded", svg)
        self.assertFalse((out / "exit_distribution.png").exists())


class TraceOfTheEarlyExitResnetScenario(TracedShippedScenario):
    """scenarios/early_exit_resnet.yaml over 3000 s (about 6000 images through the queueing-LP policy)."""
    SCENARIO = "early_exit_resnet.yaml"
    ARGUMENTS = ("--horizon", "3000s", "--trace-interval", "10s")

    def test_the_accuracy_of_the_trace_equals_the_summary(self):
        inputs = trace.load_early_exit(self.trace, measured_only=True, answered_only=True)
        report = self.summary["early_exit"]
        self.assertEqual(len(inputs), report["answered"])
        self.assertAlmostEqual(inputs["correct"].mean(), report["accuracy"], delta=1e-12)
        shares = inputs["gate"].value_counts(normalize=True).reindex(range(9), fill_value=0.0)
        np.testing.assert_allclose(shares.to_numpy(), report["exit_fraction"], atol=1e-12)
        self.assertEqual(inputs["gate_name"].iloc[0], f"exit{inputs['gate'].iloc[0]}")
        self.assertTrue(inputs["threshold"].isna().all())  # single-exit mode

    def test_requests_devices_and_summary_are_traced(self):
        requests = trace.load_requests(self.trace, measured_only=True, completed_only=True)
        self.assertEqual(len(requests), self.summary["requests"]["completed"])
        self.assertAlmostEqual(requests["latency"].mean(), self.summary["latency"]["mean"],
                               delta=1e-9 * self.summary["latency"]["mean"])
        self.assertTrue((requests["exit_gate"] >= 0).all())
        devices = trace.load_devices(self.trace)
        self.assertEqual(list(devices["device"].unique()), ["camera_node"])
        self.assertEqual(len(devices), 300)
        self.assertEqual(trace.read_attributes(self.trace)["scenario_name"], "early_exit_resnet")

    def test_plot_draws_the_exit_distribution(self):
        out = self.dir / "figures"
        result = python_module("analysis.plot", self.trace, "--out", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        for name in ("exit_distribution", "latency_cdf", "devices"):
            for path in figure_files(out, name):
                self.assertTrue(path.is_file(), path)
                self.assertGreater(path.stat().st_size, 1000, path)
        svg = (out / "exit_distribution.svg").read_text()
        self.assertIn("exit gate", svg)
        self.assertIn("accuracy", svg)
        self.assertFalse((out / "faas_instances.png").exists())


def write_synthetic_trace(path: Path) -> None:
    """A trace as a run with early exits and a FaaS function would write it."""
    rows = 300
    dtype = np.dtype([("id", "<u8"), ("source", "<u4"), ("arrival", "<f8"), ("finish", "<f8"), ("latency", "<f8"),
                      ("exit_gate", "<i2"), ("drop_reason", "i1"), ("energy", "<f8"), ("cost", "<f8"),
                      ("measured", "u1")])
    requests = np.zeros(rows, dtype=dtype)
    requests["id"] = np.arange(rows)
    requests["arrival"] = np.arange(rows) * 0.5
    requests["latency"] = 0.2
    requests["finish"] = requests["arrival"] + 0.2
    requests["exit_gate"] = np.arange(rows) % 3
    requests["drop_reason"] = -1
    requests["drop_reason"][::50] = 0
    requests["latency"][::50] = np.nan
    requests["measured"] = 1
    strings = h5py.string_dtype()
    with h5py.File(path, "w") as file:
        file.attrs["warmup"] = 0.0
        dataset = file.create_dataset("requests", data=requests)
        dataset.attrs.create("columns", list(dtype.names), dtype=strings)
        dataset.attrs.create("drop_reasons", ["buffer_full", "failure", "no_route", "faas_rejected"], dtype=strings)
        dataset.attrs.create("sources", ["cameras"], dtype=strings)
        faas = np.zeros(20, dtype=[("time", "<f8"), ("instances", "<f8")])
        faas["time"] = np.arange(20) * 10.0
        faas["instances"] = np.arange(20) % 5
        file.create_dataset("faas/classify", data=faas)
        summary = {"latency": {"mean": 0.2, "p95": 0.2, "p99": 0.2},
                   "energy": {"total_j": 10.0, "network_j": 1.0, "by_device_j": {"edge": 9.0}},
                   "cost": {"total": 2.0, "network": 0.0, "by_device": {"edge": 2.0}}}
        file.create_dataset("summary", data=json.dumps(summary), dtype=strings)


class OptionalFigures(ScratchDirectory):
    def test_exit_and_faas_figures_appear_when_the_trace_has_them(self):
        path = self.dir / "synthetic.h5"
        write_synthetic_trace(path)
        out = self.dir / "figures"
        result = python_module("analysis.plot", path, "--out", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        for name in ("exit_distribution", "faas_instances", "loss_over_time", "latency_cdf"):
            self.assertGreater((out / f"{name}.svg").stat().st_size, 1000, name)
        self.assertIn("exit gate", (out / "exit_distribution.svg").read_text())
        faas = trace.load_faas(path)
        self.assertEqual(list(faas.columns), ["function", "time", "instances"])
        requests = trace.load_requests(path)
        self.assertEqual(int((requests["drop_cause"] == "buffer_full").sum()), 6)
        self.assertTrue((requests["source_name"] == "cameras").all())


def write_runs(path: Path, parameters: list, seed: int = 1) -> np.ndarray:
    """A /runs table: policies a and b, optional rate points, 5 replications each."""
    generator = np.random.default_rng(seed)
    points = [(1.0,), (2.0,), (4.0,)] if parameters else [()]
    dtype = [("policy", h5py.string_dtype())] + [(p, "<f8") for p in parameters] + [
        ("replication", "<i4"), ("seed", "<u8"), ("latency_mean", "<f8"), ("loss_ratio", "<f8")]
    rows = []
    for policy, offset in (("a", 0.0), ("b", 0.5)):
        for point in points:
            for replication in range(5):
                rate = point[0] if point else 1.0
                rows.append((policy, *point, replication, 100 + replication,
                             1.0 / (5.0 - rate) + offset + generator.normal(0, 0.05), 0.01 * rate))
    table = np.array(rows, dtype=dtype)
    with h5py.File(path, "w") as file:
        dataset = file.create_dataset("runs", data=table)
        dataset.attrs.create("parameters", parameters, dtype=h5py.string_dtype())
        dataset.attrs.create("metrics", ["latency_mean", "loss_ratio"], dtype=h5py.string_dtype())
        dataset.attrs.create("columns", [name for name, _ in dtype], dtype=h5py.string_dtype())
        dataset.attrs.create("units", ["", *[""] * len(parameters), "", "", "s", ""], dtype=h5py.string_dtype())
    return table


class CompareAcrossASweep(ScratchDirectory):
    def test_means_and_student_intervals_per_policy_and_point(self):
        path = self.dir / "results.h5"
        table = write_runs(path, ["rate"])
        out = self.dir / "compare"
        result = python_module("analysis.compare", path, "--out", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        for metric in ("latency_mean", "loss_ratio"):
            for extension in ("png", "svg"):
                self.assertGreater((out / f"compare_{metric}.{extension}").stat().st_size, 1000)
        self.assertIn("latency_mean [s]", (out / "compare_latency_mean.svg").read_text())
        numbers = pd.read_csv(out / "comparison.csv")
        self.assertEqual(len(numbers), 2 * 3 * 2)  # policies x points x metrics
        row = numbers[(numbers.policy == "b") & (numbers.rate == 2.0) & (numbers.metric == "latency_mean")].iloc[0]
        values = table[(table["policy"] == "b") & (table["rate"] == 2.0)]["latency_mean"]
        self.assertAlmostEqual(row["mean"], values.mean(), places=12)
        # t(0.975, 4) = 2.7764451 (tabulated).
        self.assertAlmostEqual(row["ci95_half_width"], 2.7764451 * values.std(ddof=1) / math.sqrt(5), places=6)
        self.assertEqual(row["replications"], 5)

    def test_a_sweep_without_parameters_compares_policies_with_bars(self):
        path = self.dir / "flat.h5"
        write_runs(path, [])
        out = self.dir / "flat"
        written = compare.compare(path, out)
        self.assertIn(out / "compare_latency_mean.png", written)
        frame, parameters, metrics, _ = compare.load_runs(path)
        self.assertEqual(parameters, [])
        self.assertEqual(metrics, ["latency_mean", "loss_ratio"])
        self.assertEqual(sorted(frame["policy"].unique()), ["a", "b"])

    def test_a_second_parameter_gives_one_panel_per_value(self):
        path = self.dir / "two.h5"
        dtype = [("policy", h5py.string_dtype()), ("rate", "<f8"), ("buffer", "<i4"), ("latency_mean", "<f8")]
        rows = [(p, r, b, r + b + o + 0.01 * k) for p, o in (("tabu", 0.0), ("greedy", 1.0))
                for r in (1.0, 2.0) for b in (5, 10) for k in range(3)]
        with h5py.File(path, "w") as file:
            dataset = file.create_dataset("runs", data=np.array(rows, dtype=dtype))
            dataset.attrs.create("parameters", ["rate", "buffer"], dtype=h5py.string_dtype())
        out = self.dir / "two"
        compare.compare(path, out)
        svg = (out / "compare_latency_mean.svg").read_text()
        self.assertIn("buffer = 5", svg)
        self.assertIn("buffer = 10", svg)
        numbers = pd.read_csv(out / "comparison.csv")
        self.assertEqual(len(numbers), 2 * 2 * 2)
        row = numbers[(numbers.policy == "greedy") & (numbers.rate == 2.0) & (numbers.buffer == 10)].iloc[0]
        self.assertAlmostEqual(row["mean"], 13.01, places=12)

    def test_a_metric_no_run_defines_gets_no_figure(self):
        path = self.dir / "nan.h5"
        dtype = [("policy", h5py.string_dtype()), ("latency_mean", "<f8"), ("accuracy", "<f8")]
        rows = [(p, 1.0 + k, math.nan) for p in ("a", "b") for k in range(3)]
        with h5py.File(path, "w") as file:
            file.create_dataset("runs", data=np.array(rows, dtype=dtype))
        out = self.dir / "nan"
        written = compare.compare(path, out)
        self.assertIn(out / "compare_latency_mean.svg", written)
        self.assertFalse((out / "compare_accuracy.svg").exists())
        numbers = pd.read_csv(out / "comparison.csv")
        self.assertTrue(numbers.loc[numbers.metric == "accuracy", "mean"].isna().all())

    def test_a_single_replication_has_no_interval(self):
        self.assertTrue(math.isnan(compare.confidence_half_width(np.array([1.0]))))

    def test_a_file_without_runs_is_reported(self):
        path = self.dir / "empty.h5"
        with h5py.File(path, "w"):
            pass
        result = python_module("analysis.compare", path, "--out", self.dir / "none")
        self.assertEqual(result.returncode, 2)
        self.assertIn("no /runs table", result.stderr)


class KilledRun(ScratchDirectory):
    def test_a_killed_run_leaves_no_trace_under_the_final_name_and_the_next_run_succeeds(self):
        final = self.dir / "long.h5"
        process = subprocess.Popen(
            [binary(), "run", str(SCENARIO), "--set", "simulation.horizon=2000000s", "--trace", str(final),
             "--json", str(self.dir / "long.json"), "-q"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            # Midway: the temporary sibling has grown past a few blocks of request rows.
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and process.poll() is None:
                temporaries = glob.glob(str(final) + ".tmp.*")
                if temporaries and os.path.getsize(temporaries[0]) > 2_000_000:
                    break
                time.sleep(0.05)
            self.assertIsNone(process.poll(), "the run ended before it could be killed")
            self.assertTrue(glob.glob(str(final) + ".tmp.*"), "no temporary trace appeared")
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait()
        self.assertFalse(final.exists())
        self.assertFalse((self.dir / "long.json").exists())
        for temporary in glob.glob(str(final) + ".tmp.*"):
            os.remove(temporary)

        result = continuum("run", SCENARIO, "--horizon", "1000s", "--warmup", "100s", "--trace", final, "-q",
                           "--json", self.dir / "long.json")
        self.assertEqual(result.returncode, 0, result.stderr)
        with h5py.File(final, "r") as file:
            self.assertGreater(file["requests"].shape[0], 7000)
        self.assertEqual(glob.glob(str(final) + ".tmp.*"), [])


if __name__ == "__main__":
    unittest.main()
