"""Reading and plotting continuum's HDF5 outputs (docs/output-format.md, "HDF5 trace").

- ``analysis.trace``: load a trace into pandas (``load_requests``, ``load_devices``, ...).
- ``python3 -m analysis.plot TRACE.h5 --out DIR``: the standard figures of one run.
- ``python3 -m analysis.compare RESULTS.h5 --out DIR``: policies compared across a sweep, with
  95 % confidence intervals over replications.

Needs only Debian's python3-h5py, python3-pandas and python3-matplotlib.
"""
