"""Checks made before the first document is read; each failure is one line (``PreflightError``;
rules: one line per problem).

* the rules: every rule file of the package and of the user's ``--rules`` folders loads and
  validates, every structure built from them builds (``load_rules``, over ``process.load_rules``);
* ``--out``: writable, with room for another snapshot the size of the last one, and no file
  where a table's link goes;
* every input root exists and can be read.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Iterable

from . import write
from .errors import PreflightError
from .sources import shown


class RulesError(PreflightError):
    """Rule files that cannot be used; ``problems`` lists every ``file:line: what`` (the message
    has them one per line)."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def load_rules(user_dirs: Iterable[Path | str] = ()):
    """The package's rules plus the user's folders (``--rules``, ``Settings.rules``), loaded,
    validated and built once (``process.load_rules``: every structure the extractors and ingest
    build, so a rule that loads but cannot work fails here, not in every document); raises
    ``RulesError`` listing every ``file:line``. Reads rule files only, never a model or an input."""
    from .process import load_rules as load
    from .rules import RulesError as Problems

    try:
        return load(list(user_dirs))
    except Problems as exc:  # each once (builders that use a failing one report its problem again)
        raise RulesError(list(dict.fromkeys(exc.problems))) from None
    except Exception as exc:  # a structure that cannot be built from them would fail every document
        raise RulesError([f"the rules do not load: {type(exc).__name__}: {exc}"]) from None


def check_out(out_dir: Path, previous: Path | None) -> None:
    """``--out`` can take a new snapshot: writable, room for the last snapshot's size, no file
    in the way of a table's link."""
    conflicts = write.table_link_conflicts(out_dir)
    if conflicts:
        raise PreflightError(f"{conflicts[0]} exists and is not a link made by vnpress; move it away")
    folder = out_dir / write.SNAPSHOTS
    probe = folder / f".preflight-{os.getpid()}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(probe, "wb") as f:
            f.write(b"\0" * 65536)
            f.flush()
            os.fsync(f.fileno())
    except OSError as exc:
        raise PreflightError(f"cannot write to --out {out_dir}: {exc.strerror or exc}") from None
    finally:
        try:
            probe.unlink()
        except OSError:
            pass
    need = write.snapshot_bytes(previous)
    free = shutil.disk_usage(folder).free
    if free < need:
        raise PreflightError(f"not enough room in --out {out_dir}: {free / 2**20:.1f} MiB free, the last snapshot "
                             f"took {need / 2**20:.1f} MiB; free some space or point --out elsewhere")


def check_inputs(inputs: list[Path]) -> None:
    """Every input root exists and can be read (a folder listed, a file opened)."""
    for root in inputs:
        try:
            if root.is_dir():
                with os.scandir(root) as entries:
                    next(entries, None)
            else:
                with open(root, "rb") as f:
                    f.read(1)
        except FileNotFoundError:
            raise PreflightError(f"input '{shown(root)}' does not exist") from None
        except OSError as exc:
            raise PreflightError(f"cannot read input '{shown(root)}': {exc.strerror or exc}") from None
