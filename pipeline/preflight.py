"""Checks made before the first document is read; each failure is one line (``PreflightError``).

* the rules: every lexicon and rule file loads and validates (``load_rules``: the hook a
  ``--rules DIR`` option extends);
* ``--out``: writable, with room for another snapshot the size of the last one, and no file
  where a table's link goes;
* every input root exists and can be read.
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from . import write
from .errors import PreflightError
from .sources import shown

# A made-up press release (no real people or bodies) that reaches every extractor, so that
# processing it loads every rule and lexicon file the pipeline reads.
PROBE = """Hội nghị tổng kết công tác phối hợp giai đoạn 2021 - 2025
Ngày đăng: 12/03/2025
Sáng 10/3, tại thành phố Thái Bình, Ủy ban MTTQ Việt Nam tỉnh Thái Bình và Sở Tài nguyên và Môi trường (Sở TN&MT) tổ chức Hội nghị tổng kết Chương trình phối hợp số 15/CTrPH-MTTQ-STNMT giai đoạn 2021 - 2025 theo hình thức trực tuyến.
Dự hội nghị có ông Nguyễn Văn Bình, Phó Chủ tịch UBND tỉnh; bà Trần Thị Hoa, Chủ tịch Ủy ban MTTQ Việt Nam tỉnh chủ trì hội nghị.
Tại đại hội, ông Lê Văn Nam tái đắc cử Chủ tịch Hội Nông dân tỉnh nhiệm kỳ 2023 - 2028.
Theo Quyết định số 123/QĐ-UBND ngày 5/1/2025, toàn tỉnh xây dựng 25 mô hình; dịp này, 05 tập thể và 08 cá nhân được tặng Giấy khen.
Năm 2025, hai bên tiếp tục ký kết chương trình mới.
Minh Châu - Báo Thái Bình
"""


class RulesError(PreflightError):
    """A rule or lexicon file that does not load; the message names file and line."""


def load_rules(rules_dir: Path | None = None) -> None:
    """Load and validate every rule and lexicon file, by processing the probe document (which
    reaches every loader); raises ``RulesError`` naming the file and line. ``rules_dir`` is for
    a future ``--rules DIR`` (only the built-in lexicons today)."""
    from .ingest import build_document
    from .lexicon import LexiconError
    from .process import process_document

    if rules_dir is not None:
        raise RulesError("--rules is not supported yet")
    try:
        doc = build_document(PROBE, "preflight-probe.txt")
        process_document(doc, version="preflight", run_id="preflight")
    except LexiconError as exc:
        raise RulesError(f"a rule or lexicon file is wrong: {exc}") from None
    except Exception as exc:  # any failure here would fail every document
        raise RulesError(f"the rules do not load: {type(exc).__name__}: {exc}") from None


def _probe_child(conn) -> None:
    clear_rule_caches()  # read the files now, not what the parent may have cached
    try:
        load_rules()
        conn.send(None)
    except RulesError as exc:
        conn.send(str(exc))
    conn.close()


def load_rules_in_child(timeout: float = 600.0) -> None:
    """``load_rules`` in a forked child, so the driver does not load the models (the workers do)."""
    import multiprocessing

    try:
        ctx = multiprocessing.get_context("fork")
    except ValueError:  # no fork on this platform
        return load_rules()
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_probe_child, args=(send,), daemon=True)
    child.start()
    send.close()
    try:
        message = receive.recv() if receive.poll(timeout) else f"the rules check did not finish in {timeout:g} s"
    except EOFError:
        child.join(5)
        message = f"the rules check died (exit status {child.exitcode}) processing a probe document"
    child.join(5)
    if child.is_alive():
        child.kill()
    if message:
        raise RulesError(message)


def clear_rule_caches() -> None:
    """Forget every loaded lexicon (loaders cache what they read), so the next use reads the files."""
    for name, module in list(sys.modules.items()):
        if name.startswith(("pipeline.extract", "pipeline.ingest", "pipeline.lexicon")) and module:
            for value in list(vars(module).values()):
                if callable(value) and hasattr(value, "cache_clear") and getattr(value, "__module__", "") == name:
                    value.cache_clear()


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
