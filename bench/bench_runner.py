"""Runs one scenario through `continuum run` in its own process and measures it (bench/run_all,
bench/scaling)."""
import json
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Measured:
    summary: dict         # the JSON summary of the run
    wall_seconds: float   # of the whole process
    cpu_seconds: float    # user + system of the process
    peak_rss_mib: float   # maximum resident set size (wait4(2))


def run_one(binary, scenario, overrides=()) -> Measured:
    """Runs `scenario` with `--set` overrides, tracing off, and measures the process."""
    with tempfile.TemporaryDirectory() as scratch:
        summary = Path(scratch) / "summary.json"
        command = [str(binary), "run", str(scenario), "--quiet", "--json", str(summary)]
        for override in overrides:
            command += ["--set", override]
        started = time.monotonic()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        error = child.stderr.read().decode()  # small: the program writes only errors there
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.monotonic() - started
        child.stderr.close()
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} exited with {child.returncode}: {error.strip()}")
        return Measured(json.loads(summary.read_text()), wall, usage.ru_utime + usage.ru_stime,
                        usage.ru_maxrss / 1024.0)  # ru_maxrss: KiB on Linux
