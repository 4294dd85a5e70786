"""Load a continuum HDF5 trace into pandas.

Every function takes a path (str or pathlib.Path) or an open ``h5py.File``. The layout is
documented in docs/output-format.md ("HDF5 trace"): ``/requests``, ``/devices/<name>``,
``/links/<name>``, ``/faas/<function>``, ``/early_exit``, ``/summary`` and root attributes.
"""
from __future__ import annotations

import contextlib
import json
import os
from typing import Iterable, Iterator, Optional, Union

import h5py
import numpy as np
import pandas as pd

Source = Union[str, os.PathLike, h5py.File]

# The attributes of the root group that hold JSON text.
_JSON_ATTRIBUTES = ("policies", "placement", "parameters")


@contextlib.contextmanager
def open_trace(source: Source) -> Iterator[h5py.File]:
    """Yields an open h5py.File; closes it afterwards only if it was opened here."""
    if isinstance(source, h5py.File):
        yield source
        return
    with h5py.File(source, "r") as file:
        yield file


def _text(value) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def attribute_value(value):
    """h5py attribute value as plain Python: str, list of str, int, float."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray):
        if value.dtype.kind in ("O", "S", "U"):
            return [_text(v) for v in value.tolist()]
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


def read_attributes(source: Source) -> dict:
    """Root attributes (provenance); the JSON-valued ones (policies, placement, parameters) decoded."""
    with open_trace(source) as file:
        attributes = {name: attribute_value(value) for name, value in file.attrs.items()}
    for name in _JSON_ATTRIBUTES:
        if isinstance(attributes.get(name), str):
            attributes[name] = json.loads(attributes[name])
    return attributes


def load_summary(source: Source) -> dict:
    """The JSON summary of the run (the same document as ``continuum run --json``)."""
    with open_trace(source) as file:
        return json.loads(_text(file["summary"][()]))


def summary_metrics(source: Source) -> dict:
    """The scalar attributes of /summary: latency_mean, throughput, loss_ratio, energy_total_j, ..."""
    with open_trace(source) as file:
        return {name: attribute_value(value) for name, value in file["summary"].attrs.items()}


def has_table(source: Source, name: str) -> bool:
    with open_trace(source) as file:
        return name in file and isinstance(file[name], h5py.Dataset)


def table_names(source: Source, group: str) -> list[str]:
    """Names of the tables in ``group`` (e.g. "devices"), in the writer's order when it recorded one."""
    with open_trace(source) as file:
        if group not in file:
            return []
        node = file[group]
        names = [_text(n) for n in node.attrs["names"]] if "names" in node.attrs else sorted(node.keys())
        return [n for n in names if isinstance(node.get(n), h5py.Dataset)]


def column_units(source: Source, name: str) -> dict:
    """Column name -> unit ("" when dimensionless) of table ``name``."""
    with open_trace(source) as file:
        dataset = file[name]
        if "columns" not in dataset.attrs or "units" not in dataset.attrs:
            return {}
        return dict(zip(attribute_value(dataset.attrs["columns"]), attribute_value(dataset.attrs["units"])))


def load_table(source: Source, name: str, columns: Optional[Iterable[str]] = None) -> pd.DataFrame:
    """One compound table as a DataFrame, columns in the documented order (or only ``columns``)."""
    with open_trace(source) as file:
        dataset = file[name]
        order = attribute_value(dataset.attrs["columns"]) if "columns" in dataset.attrs else list(dataset.dtype.names)
        wanted = list(columns) if columns is not None else order
        unknown = [c for c in wanted if c not in dataset.dtype.names]
        if unknown:
            raise KeyError(f"{name} has no column {unknown[0]!r}; columns: {', '.join(order)}")
        # Reading only the wanted fields keeps memory to what is asked for.
        data = dataset.fields(wanted)[()] if len(wanted) > 1 else {wanted[0]: dataset.fields(wanted[0])[()]}
        return pd.DataFrame({column: np.asarray(data[column]) for column in wanted})


def load_requests(
    source: Source,
    columns: Optional[Iterable[str]] = None,
    measured_only: bool = False,
    completed_only: bool = False,
) -> pd.DataFrame:
    """/requests as a DataFrame: one row per request (or per sampled request, see the attribute
    sample_fraction). ``measured_only`` keeps requests that arrived after the warm-up;
    ``completed_only`` drops lost ones (whose latency is NaN). When all columns are loaded, a
    ``drop_cause`` column names the loss cause ("" for completed requests) and ``source_name``
    names the source."""
    with open_trace(source) as file:
        wanted = None if columns is None else list(columns)
        needed = None if wanted is None else list(dict.fromkeys(wanted + [
            c for c, on in (("measured", measured_only), ("drop_reason", completed_only)) if on]))
        frame = load_table(file, "requests", needed)
        if measured_only:
            frame = frame[frame["measured"] == 1]
        if completed_only:
            frame = frame[frame["drop_reason"] < 0]
        if wanted is None:
            attrs = file["requests"].attrs
            reasons = attribute_value(attrs["drop_reasons"]) if "drop_reasons" in attrs else []
            sources = attribute_value(attrs["sources"]) if "sources" in attrs else []
            names = np.array([""] + reasons, dtype=object)
            frame = frame.assign(
                drop_cause=pd.Categorical(names[frame["drop_reason"].to_numpy().astype(np.int64) + 1]),
                source_name=pd.Categorical(np.array(sources, dtype=object)[frame["source"].to_numpy()])
                if sources else "",
            )
        else:
            frame = frame[wanted]
        return frame.reset_index(drop=True)


def _load_group(source: Source, group: str, key: str) -> pd.DataFrame:
    """All tables of ``group`` stacked, with the table name in column ``key``."""
    with open_trace(source) as file:
        frames = [load_table(file, f"{group}/{name}").assign(**{key: name}) for name in table_names(file, group)]
    if not frames:
        return pd.DataFrame(columns=[key])
    frame = pd.concat(frames, ignore_index=True)
    return frame[[key] + [c for c in frame.columns if c != key]]


def load_devices(source: Source) -> pd.DataFrame:
    """/devices/<name> stacked: device, time, utilization, queue_length, power."""
    return _load_group(source, "devices", "device")


def load_links(source: Source) -> pd.DataFrame:
    """/links/<name> stacked: link, time, utilization, flows (empty without a topology)."""
    return _load_group(source, "links", "link")


def load_faas(source: Source) -> pd.DataFrame:
    """/faas/<function> stacked: function, time, instances, busy, idle, in_flight, invocations,
    cold_starts, rejections (those three per interval), cost (so far); empty when the run had no FaaS."""
    return _load_group(source, "faas", "function")


def load_early_exit(source: Source, measured_only: bool = False, answered_only: bool = False) -> pd.DataFrame:
    """/early_exit: one row per input (id, time, gate, confidence, correct, answered, threshold,
    offloaded, input_class, measured), plus ``gate_name`` and ``class_name`` when the trace names
    them. Empty when the run had no early-exit network. The summary's accuracy is the mean of
    ``correct`` over ``load_early_exit(path, measured_only=True, answered_only=True)``."""
    with open_trace(source) as file:
        if not has_table(file, "early_exit"):
            return pd.DataFrame(columns=["id", "time", "gate", "confidence", "correct", "answered"])
        frame = load_table(file, "early_exit")
        attrs = file["early_exit"].attrs
        if measured_only:
            frame = frame[frame["measured"] == 1]
        if answered_only:
            frame = frame[frame["answered"] == 1]
        if "gates" in attrs:
            names = np.array([""] + attribute_value(attrs["gates"]), dtype=object)
            frame = frame.assign(gate_name=names[frame["gate"].to_numpy().astype(np.int64) + 1])
        if "classes" in attrs and len(attrs["classes"]):
            classes = np.array(attribute_value(attrs["classes"]), dtype=object)
            frame = frame.assign(class_name=classes[frame["input_class"].to_numpy()])
        return frame.reset_index(drop=True)
