"""``import vnpress``: the reader's entry point. ``vnpress.open(out)`` pins one snapshot of an
output folder, so every table read through it comes from the same run (see
``pipeline.snapshot``). The pipeline itself is the ``pipeline`` package (command ``vnpress``)."""
from pipeline import __version__


def open(out="outputs", **kwargs):  # noqa: A001 - the name readers expect: vnpress.open(out)
    """The current snapshot of ``out``, resolved once and pinned: ``with vnpress.open(out) as s:``."""
    from pipeline.snapshot import open_snapshot

    return open_snapshot(out, **kwargs)


__all__ = ["open", "__version__"]
