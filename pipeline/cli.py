"""The ``vnpress`` command: each command parses options and calls one stage function."""
from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from . import __version__
from .config import Settings


@click.group()
@click.version_option(__version__, prog_name="vnpress")
def main() -> None:
    """vnpress: Vietnamese press releases -> normalised Parquet tables.

    \b
    Example:
      vnpress run corpus --out outputs
      vnpress eval --gold tests/gold --out outputs
    """


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", default=Path("outputs"), show_default=True, type=click.Path(path_type=Path),
              help="Folder of the Parquet tables.")
@click.option("--workers", type=int, default=None, help="Worker processes (default: the machine's cores).")
@click.option("--engine", type=click.Choice(["process", "serial", "dask"]), default="process", show_default=True,
              help="How documents are mapped: process pool, in-process, or Dask.")
@click.option("--scheduler", default=None, help="Address of an existing Dask scheduler (tcp://HOST:PORT).")
@click.option("--max-bytes", type=int, default=Settings.max_file_bytes, show_default=True,
              help="Larger files, archive members and dump rows go to the errors table (checked as they are read).")
@click.option("--doc-timeout", type=click.FloatRange(min=0, min_open=True), default=Settings.doc_timeout,
              show_default=True, metavar="SECONDS", help="A document taking longer to read or process is stopped "
              "and becomes a `timeout` error.")
@click.option("--checksum", is_flag=True, help="Read every input again, even a file whose size, times and inode "
              "are those it had at the last publish (by default such a file keeps its document id unread).")
@click.option("--drop-removed", is_flag=True, help="Delete the rows of documents whose source file is gone "
              "(default: keep them, marked status=removed).")
@click.option("--max-failed", type=click.FloatRange(0, 1), default=Settings.max_failed_fraction, show_default=True,
              help="Publish nothing (exit 1) when more than this fraction of the inputs due failed.")
@click.option("--max-removed", type=click.FloatRange(0, 1), default=Settings.max_removed_fraction,
              show_default=True, help="Publish nothing (exit 1) when the run would mark removed, or drop, more "
              "than this fraction of the published documents.")
@click.option("--keep", type=click.IntRange(min=2), default=Settings.keep_snapshots, show_default=True,
              help="Snapshots kept for `vnpress restore` (the new one and at least the one it replaced).")
@click.option("--wait", type=click.FloatRange(min=0), default=0.0, show_default=True, metavar="SECONDS",
              help="When another command is writing --out, wait this long for it before giving up (exit 3).")
@click.option("--quiet", is_flag=True, help="Only the summary line (for cron).")
def run(inputs, out_dir, workers, engine, scheduler, max_bytes, doc_timeout, checksum, drop_removed, max_failed,
        max_removed, keep, wait, quiet) -> None:
    """Process INPUTS (files or folders, searched recursively) into tables under --out.

    Exit status: 0 done; 1 the last snapshot was kept because a guard refused to publish
    (--max-failed, --max-removed: the message says how to override); 2 nothing was done
    (a preflight check failed: rules, --out, inputs; or the snapshot could not be written);
    3 another command holds --out (see --wait).

    \b
    Example:
      vnpress run corpus --out outputs --workers 2
    """
    from .errors import RunError
    from .runner import run as run_pipeline

    settings = Settings(max_file_bytes=max_bytes, max_failed_fraction=max_failed, max_removed_fraction=max_removed,
                        keep_snapshots=keep, doc_timeout=doc_timeout, quick_check=not checksum)
    logging.basicConfig(level=logging.WARNING if quiet else logging.INFO, format="%(message)s")
    try:
        summary = run_pipeline(list(inputs), out_dir, settings, engine=engine, workers=workers, scheduler=scheduler,
                               drop_removed=drop_removed, wait=wait, progress=None if quiet else _progress)
    except RunError as exc:
        click.echo(f"vnpress run: {exc}", err=True)
        sys.exit(exc.exit_code)
    for error in summary.errors:
        if not quiet or error["severity"] != "skipped":
            click.echo(f"  {error['stage']}: {error['source_path']}: {error['error']}", err=True)
    click.echo(summary.line())
    if summary.refused or not summary.balanced:
        sys.exit(1)


def _progress(total: int):
    """A progress bar on a terminal; plain log lines (about every tenth of the work) otherwise."""
    if sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=total, unit="doc", file=sys.stderr, leave=False)
        return bar.update
    done, step, log = [0], max(1, total // 10), logging.getLogger("vnpress")
    log.info("processing %d documents", total)

    def advance(n: int) -> None:
        before, done[0] = done[0], done[0] + n
        if done[0] // step > before // step or done[0] == total:
            log.info("processed %d/%d documents", done[0], total)
    return advance


OUT = click.option("--out", "out_dir", default=Path("outputs"), show_default=True,
                   type=click.Path(exists=True, file_okay=False, path_type=Path), help="Folder of the tables.")


@main.command()
@OUT
@click.option("--html", "target", type=click.Path(path_type=Path), default=None,
              help="Where to write the report (default: OUT/report.html).")
def report(out_dir, target) -> None:
    """Write one self-contained HTML report: corpus charts, each article with its entities
    highlighted and its facts in tables.

    \b
    Example:
      vnpress report --out outputs      # then open outputs/report.html
    """
    from .report import write_report

    click.echo(f"wrote {write_report(out_dir, target or out_dir / 'report.html')}")


@main.command()
@click.argument("document")
@OUT
def show(document, out_dir) -> None:
    """Print one document's facts: DOCUMENT is a source file name or a doc_id.

    \b
    Example:
      vnpress show hoi-nghi-tap-huan.txt --out outputs
    """
    from .views import NotFound, show as show_document

    try:
        show_document(out_dir, document)
    except NotFound as exc:
        raise click.ClickException(str(exc)) from exc


@main.command()
@OUT
def stats(out_dir) -> None:
    """Rows per table, mentions per label, blocks per kind.

    \b
    Example:
      vnpress stats --out outputs
    """
    from .views import stats as print_stats

    print_stats(out_dir)


@main.command()
@click.argument("sql")
@OUT
def query(sql, out_dir) -> None:
    """Run DuckDB SQL over the tables (each table is a view of the same name).

    \b
    Example:
      vnpress query "select label, count(*) from mentions group by label"
    """
    import duckdb

    from .views import query as run_query

    try:
        run_query(out_dir, sql)
    except duckdb.Error as exc:
        raise click.ClickException(f"query failed: {exc}") from exc


@main.command()
@OUT
@click.option("--wait", type=click.FloatRange(min=0), default=0.0, show_default=True, metavar="SECONDS",
              help="When another command is writing --out, wait this long for it (else exit 3).")
def compact(out_dir, wait) -> None:
    """Merge the per-run files of the append-only tables (runs, errors) into one file each.

    \b
    Example:
      vnpress compact --out outputs
    """
    from .errors import RunError
    from .lock import OutLock
    from .write import compact_logs

    try:
        with OutLock(out_dir, "compact", wait=wait, command="compact"):
            merged = compact_logs(out_dir)
    except RunError as exc:
        click.echo(f"vnpress compact: {exc}", err=True)
        sys.exit(exc.exit_code)
    for name, n in merged.items():
        click.echo(f"{name}: merged {n} files")


@main.command()
@click.argument("run_id", required=False)
@OUT
@click.option("--wait", type=click.FloatRange(min=0), default=0.0, show_default=True, metavar="SECONDS",
              help="When another command is writing --out, wait this long for it (else exit 3).")
@click.option("--list", "list_only", is_flag=True, help="List the kept snapshots and change nothing.")
def restore(run_id, out_dir, wait, list_only) -> None:
    """Make a kept snapshot current again: RUN_ID, or by default the one before the current one.

    The snapshot that was current is kept (restore it back by its id). Runs keep the newest
    --keep snapshots (default 2).

    \b
    Example:
      vnpress restore --out outputs --list
      vnpress restore --out outputs                 # back to the previous snapshot
    """
    from .errors import RunError
    from .runner import kept_snapshots, restore as restore_snapshot

    if list_only:
        for line in kept_snapshots(out_dir):
            click.echo(line)
        return
    try:
        click.echo(restore_snapshot(out_dir, run_id, wait=wait))
    except RunError as exc:
        click.echo(f"vnpress restore: {exc}", err=True)
        sys.exit(exc.exit_code)


@main.command("eval")
@click.option("--gold", "gold_dir", default=Path("tests/gold"), show_default=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path), help="Folder of gold JSON files.")
@click.option("--out", "out_dir", default=Path("outputs"), show_default=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path), help="Folder of the tables.")
@click.option("--floors", type=click.Path(path_type=Path), default=None,
              help="JSON of minimum F1 per fact type; exit 1 when a score falls below.")
@click.option("--no-baseline", is_flag=True, help="Skip the underthesea ner baseline.")
@click.option("--details/--no-details", default=True, show_default=True, help="List misses and false positives.")
def eval_(gold_dir, out_dir, floors, no_baseline, details) -> None:
    """Precision, recall and F1 per fact type against gold annotations.

    \b
    Example:
      vnpress eval --gold tests/gold --out outputs --floors tests/eval_floors.json
    """
    from .evaluate import evaluate
    from .report_text import check_floors, render_eval

    report = evaluate(gold_dir, out_dir, baseline=not no_baseline)
    (out_dir / "eval.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    click.echo(render_eval(report, details=details))
    if floors:
        failures = check_floors(report, json.loads(Path(floors).read_text(encoding="utf-8")))
        for line in failures:
            click.echo(f"BELOW FLOOR: {line}", err=True)
        if failures:
            sys.exit(1)
        click.echo(f"all floors in {floors} met")


@main.command()
@click.option("--out", "out_file", type=click.Path(path_type=Path), default=Path("docs/tables.md"), show_default=True)
def dictionary(out_file) -> None:
    """Write the data dictionary (every table, column, type, meaning, example) from the schemas.

    \b
    Example:
      vnpress dictionary --out docs/tables.md
    """
    from .dictionary import render

    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_text(render() + "\n", encoding="utf-8")
    click.echo(f"wrote {out_file}")


if __name__ == "__main__":  # pragma: no cover
    main()
