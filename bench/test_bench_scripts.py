"""Smoke tests of bench/run_all and bench/scaling with tiny horizons (CTest: bench_scripts).
They check the output is well formed, not the speed. CONTINUUM_BINARY names the built program."""
import csv
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH / "scenarios"))
from make_pureedgesim import published_runs  # noqa: E402


def run(script, *arguments):
    return subprocess.run([sys.executable, str(BENCH / script), "--binary", os.environ["CONTINUUM_BINARY"],
                           *map(str, arguments)], capture_output=True, text=True)


class BenchScripts(unittest.TestCase):
    def test_the_committed_pureedgesim_scenarios_are_what_the_generator_writes(self):
        for path, text in published_runs():
            self.assertEqual(path.read_text(), text, f"{path}: rerun bench/scenarios/make_pureedgesim.py")

    def test_run_all_prints_one_row_per_scenario_with_the_table_columns(self):
        with tempfile.TemporaryDirectory() as scratch:
            table = Path(scratch) / "table.csv"
            result = run("run_all", "--quick", "--csv", table)
            self.assertEqual(result.returncode, 0, result.stderr)
            lines = result.stdout.splitlines()
            self.assertEqual([c.strip() for c in lines[0].split("|")],
                             ["scenario", "events", "wall s", "cpu s", "events/s (CPU)", "requests/s (CPU)",
                              "peak RSS MiB"])
            rows = list(csv.DictReader(table.open()))
            self.assertEqual(len(lines), 2 + len(rows))
            self.assertEqual({r["scenario"] for r in rows},
                             {"tandem_network", "pureedgesim_10k_devices_10min", "pureedgesim_200_devices_24h",
                              "pureedgesim_200_devices_1h"})
            for row in rows:
                self.assertGreater(int(row["events"]), 0)
                self.assertGreater(float(row["wall_s"]), 0)
                self.assertGreater(float(row["events_per_s"]), 0)
                self.assertGreater(float(row["peak_rss_mib"]), 1)

    def test_scaling_writes_the_columns_analysis_scaling_reads(self):
        with tempfile.TemporaryDirectory() as scratch:
            out = Path(scratch) / "scaling.csv"
            result = run("scaling", "--quick", "--out", out)
            self.assertEqual(result.returncode, 0, result.stderr)
            rows = list(csv.DictReader(out.open()))
            self.assertEqual([r["sweep"] for r in rows], ["devices"] * 3 + ["rate"] * 2)
            self.assertEqual([int(r["devices"]) for r in rows[:3]], [10, 100, 1000])
            # More devices at the same rate per device: more events.
            events = [int(r["events"]) for r in rows[:3]]
            self.assertLess(events[0], events[1])
            self.assertLess(events[1], events[2])


if __name__ == "__main__":
    unittest.main()
