__version__ = "0.1.0"


def __getattr__(name: str):
    """``pipeline.open_snapshot`` without importing pyarrow when the package is imported."""
    if name in ("open_snapshot", "Snapshot"):
        from . import snapshot

        return getattr(snapshot, name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
