"""Shared figure helpers: a non-interactive backend and saving each figure as PNG and SVG."""
from __future__ import annotations

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only; never needs a display
import matplotlib.pyplot as plt  # noqa: E402  (after the backend is chosen)

# SVG text stays text (searchable, editable, smaller) instead of glyph outlines.
matplotlib.rcParams["svg.fonttype"] = "none"

FORMATS = ("png", "svg")


def save(figure, out_dir: Path, name: str, formats=FORMATS) -> list[Path]:
    """Writes ``out_dir/name.<format>`` for each format, closes the figure, returns the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    figure.tight_layout()
    paths = []
    for extension in formats:
        path = out_dir / f"{name}.{extension}"
        # Written under a temporary name and renamed, like every continuum output.
        temporary = path.with_name(f".{path.name}.tmp.{os.getpid()}")
        figure.savefig(temporary, format=extension, dpi=150)
        os.replace(temporary, path)
        paths.append(path)
    plt.close(figure)
    return paths

