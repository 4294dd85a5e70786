"""analysis.scaling against a CSV shaped like bench/scaling's (no simulator needed)."""
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]


def scaling(*arguments) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis.scaling", *map(str, arguments)], capture_output=True,
                          text=True, cwd=ROOT)


class ScalingFigures(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="continuum_scaling_"))

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def write_csv(self, devices_slope, rate_slope):
        rows = ["sweep,devices,rate_per_device,horizon_s,events,requests,wall_s,peak_rss_mib"]
        for n in (10, 100, 1000, 10000):
            events = 80 * n
            rows.append(f"devices,{n},0.19,120,{events},{events // 8},{0.01 + devices_slope * events},{5 + n / 1000}")
        for factor in (1, 2, 4):
            events = 80000 * factor
            rows.append(f"rate,1000,{0.19 * factor},120,{events},{events // 8},{0.02 + rate_slope * events},6")
        path = self.dir / "scaling.csv"
        path.write_text("\n".join(rows) + "\n")
        return path

    def test_fits_recover_the_cost_per_event_and_the_figures_are_written(self):
        out = self.dir / "figures"
        result = scaling(self.write_csv(2e-7, 3e-7), "--out", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        fit = pd.read_csv(out / "scaling_fit.csv").set_index("sweep")
        self.assertAlmostEqual(fit.loc["devices", "seconds_per_event"], 2e-7, places=12)
        self.assertAlmostEqual(fit.loc["devices", "intercept_s"], 0.01, places=9)
        self.assertAlmostEqual(fit.loc["rate", "seconds_per_event"], 3e-7, places=12)
        self.assertAlmostEqual(fit.loc["rate", "r_squared"], 1.0, places=9)
        for name in ("scaling_wall_vs_events", "scaling_devices"):
            for extension in ("png", "svg"):
                self.assertGreater((out / f"{name}.{extension}").stat().st_size, 1000)
        self.assertIn("wall time [s]", (out / "scaling_wall_vs_events.svg").read_text())

    def test_a_time_that_is_not_linear_in_events_has_a_lower_r_squared(self):
        path = self.dir / "quadratic.csv"
        rows = ["sweep,devices,rate_per_device,horizon_s,events,requests,wall_s,peak_rss_mib"]
        for n in (1, 2, 3, 4, 5, 6):
            rows.append(f"devices,{n},1,1,{n},{n},{n ** 4},1")
        path.write_text("\n".join(rows) + "\n")
        result = scaling(path, "--out", self.dir / "q")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertLess(pd.read_csv(self.dir / "q" / "scaling_fit.csv").r_squared[0], 0.95)

    def test_a_csv_without_the_bench_columns_is_refused(self):
        path = self.dir / "bad.csv"
        path.write_text("a,b\n1,2\n")
        result = scaling(path, "--out", self.dir / "bad")
        self.assertEqual(result.returncode, 2)
        self.assertIn("missing columns", result.stderr)


if __name__ == "__main__":
    unittest.main()
