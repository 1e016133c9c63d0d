"""What every benchmark script prints and how it summarises samples."""

from __future__ import annotations


def emit(name: str, value: float, unit: str) -> None:
    """One figure: `name value unit`, flushed so a slow run still shows progress."""
    print(f"{name} {value:.4g} {unit}", flush=True)


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]
