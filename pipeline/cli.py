"""The ``vnpress`` command: each command parses options and calls one stage function."""
from __future__ import annotations

import json
import logging
import sys
from dataclasses import replace
from pathlib import Path

import click

from . import __version__
from .config import Settings
from .progress import progress_bar


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
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(path_type=Path),
              help="A folder of your own rule files (same names and formats as pipeline/lexicons/), added to "
                   "the package's; repeatable.")
@click.option("--settings", "settings_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="A TOML settings file (rules = [...], max_failed_fraction = ...); options given "
                                 "on the command line win over it.")
def run(inputs, out_dir, workers, engine, scheduler, max_bytes, doc_timeout, checksum, drop_removed, max_failed,
        max_removed, keep, wait, quiet, rules_dirs, settings_file) -> None:
    """Process INPUTS (files or folders, searched recursively) into tables under --out.

    Exit status: 0 done; 1 the last snapshot was kept because a guard refused to publish
    (--max-failed, --max-removed: the message says how to override); 2 nothing was done
    (a preflight check failed: rules, --out, inputs; or the snapshot could not be written);
    3 another command holds --out (see --wait).

    \b
    Examples:
      vnpress run corpus --out outputs --workers 2
      vnpress run corpus --out outputs --rules my_rules/   # my_rules/titles.jsonl, agencies.jsonl …
    """
    from .config import SettingsError, from_file
    from .errors import RunError
    from .preflight import RulesError
    from .runner import run as run_pipeline

    try:
        settings = from_file(settings_file) if settings_file else Settings()
    except SettingsError as exc:
        click.echo(f"vnpress run: {exc}", err=True)
        sys.exit(2)
    given = click.get_current_context().get_parameter_source  # flags given on the line win over the file
    settings = replace(settings, **{field: value for field, option, value in (
        ("max_file_bytes", "max_bytes", max_bytes), ("max_failed_fraction", "max_failed", max_failed),
        ("max_removed_fraction", "max_removed", max_removed), ("keep_snapshots", "keep", keep),
        ("doc_timeout", "doc_timeout", doc_timeout), ("quick_check", "checksum", not checksum))
        if given(option) is not click.core.ParameterSource.DEFAULT or not settings_file})
    # The rules are loaded and checked by the run's preflight (under the lock, before any input
    # is read); a rule that cannot be used exits 2 listing every file:line.
    settings = replace(settings, rules=(*settings.rules, *map(str, rules_dirs)))
    logging.basicConfig(level=logging.WARNING if quiet else logging.INFO, format="%(message)s")
    try:
        summary = run_pipeline(list(inputs), out_dir, settings, engine=engine, workers=workers, scheduler=scheduler,
                               drop_removed=drop_removed, wait=wait, progress=None if quiet else progress_bar)
    except RulesError as exc:  # nothing was read: the published tables stay as they are
        if len(exc.problems) == 1:
            click.echo(f"vnpress run: the rules cannot be used, nothing was run: {exc.problems[0]}", err=True)
        else:
            click.echo(f"vnpress run: the rules cannot be used ({len(exc.problems)} problems), nothing was run:",
                       err=True)
            for problem in exc.problems:
                click.echo(f"  {problem}", err=True)
        sys.exit(exc.exit_code)
    except RunError as exc:
        click.echo(f"vnpress run: {exc}", err=True)
        sys.exit(exc.exit_code)
    for error in summary.errors:
        if not quiet or error["severity"] != "skipped":
            click.echo(f"  {error['stage']}: {error['source_path']}: {error['error']}", err=True)
    click.echo(summary.line())
    if summary.refused or not summary.balanced:
        sys.exit(1)


OUT = click.option("--out", "out_dir", default=Path("outputs"), show_default=True,
                   type=click.Path(exists=True, file_okay=False, path_type=Path), help="Folder of the tables.")


def _format_option(default: str | None, extra: str = ""):
    return click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "jsonl"]),
                        default=default, show_default=default is not None,
                        help="rich table for reading, or data (text never cut; lists as JSON)." + extra)


def _views(call, *args, **kwargs):
    """Run a view, turning 'no tables' and 'no such document' into a message and exit status 1."""
    from .views import NoTables, NotFound

    try:
        return call(*args, **kwargs)
    except (NoTables, NotFound) as exc:
        raise click.ClickException(str(exc)) from exc


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
    from .views import require_tables

    _views(require_tables, out_dir)
    click.echo(f"wrote {write_report(out_dir, target or out_dir / 'report.html')}")


@main.command()
@click.argument("document")
@OUT
@_format_option("table", " Data formats give one row per fact (json: one object per document).")
@click.option("--why", is_flag=True, help="Every mention with the rule that found it (a rule file's line, or a "
                                          "named grammar rule).")
def show(document, out_dir, fmt, why) -> None:
    """Print one document's facts: DOCUMENT is a source file name, a source path or a doc_id (every
    document of that name when inputs in two folders share it).

    \b
    Example:
      vnpress show hoi-nghi-tap-huan.txt --out outputs
      vnpress show hoi-nghi-tap-huan.txt --format json
      vnpress show hoi-nghi-tap-huan.txt --why      # which rule found each mention
    """
    from .views import show as show_document, why as show_why

    _views(show_why if why else show_document, out_dir, document, fmt=fmt)


@main.command()
@OUT
@click.option("--party", default=None, help="Only programmes with a party whose name contains this.")
@_format_option("table", " Data formats give one row per action (json: one object per programme).")
def programmes(out_dir, party, fmt) -> None:
    """List each cooperation programme's life: parties, period, number, and every dated action
    (signed, launched, reviewed, cited) with the document that reports it.

    \b
    Example:
      vnpress programmes --out outputs
      vnpress programmes --out outputs --party "Sở Tư pháp" --format csv > programmes.csv
    """
    from .programme_view import show as show_programmes
    from .views import require_tables

    _views(require_tables, out_dir)
    show_programmes(out_dir, party=party, fmt=fmt)


@main.command()
@OUT
@_format_option("table", " Data formats give columns group, name, count.")
def stats(out_dir, fmt) -> None:
    """Rows per table, mentions per label, blocks per kind.

    \b
    Example:
      vnpress stats --out outputs
      vnpress stats --format csv > stats.csv
    """
    from .views import stats as print_stats

    _views(print_stats, out_dir, fmt=fmt)


@main.command()
@click.argument("sql")
@OUT
@_format_option(None, " Default: table on a terminal, csv when piped.")
def query(sql, out_dir, fmt) -> None:
    """Run DuckDB SQL over the tables (each table is a view of the same name).

    \b
    Example:
      vnpress query "select label, count(*) from mentions group by label"
      vnpress query "select * from persons" --format jsonl > persons.jsonl
    """
    import duckdb

    from .views import query as run_query

    try:
        _views(run_query, out_dir, sql, fmt=fmt or ("table" if sys.stdout.isatty() else "csv"))
    except duckdb.Error as exc:
        raise click.ClickException(f"query failed: {exc}") from exc


@main.command()
@OUT
@click.option("--port", type=int, default=8001, show_default=True, help="Port of the Datasette server.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every one).")
@click.option("--build-only", is_flag=True, help="Build or refresh OUT/vnpress.db, then exit without serving.")
def serve(out_dir, port, host, build_only) -> None:
    """Browse the tables in Datasette: builds OUT/vnpress.db (a SQLite copy of the current snapshot,
    rebuilt only when the snapshot changes) with links across tables, facets, descriptions and
    canned queries, then serves it until Ctrl-C.

    \b
    Example:
      vnpress serve --out outputs --port 8001     # then open http://127.0.0.1:8001/vnpress
    """
    from .serve import build_database, serve as run_server
    from .views import require_tables

    _views(require_tables, out_dir)
    if build_only:
        db, built = build_database(out_dir)
        click.echo(f"{'built' if built else 'up to date:'} {db}")
        return
    run_server(out_dir, host=host, port=port, log=click.echo)


@main.command()
@OUT
@click.option("--docbin", "docbin", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Write every document as a spaCy Doc (tokens, doc.spans['vnpress'], doc.ents, facts) here.")
def export(out_dir, docbin) -> None:
    """Export the current tables for other tools: a spaCy DocBin of the corpus.

    \b
    Example:
      vnpress export --out outputs --docbin outputs/corpus.spacy
      # then: pipeline.spacy_component.read_docbin("outputs/corpus.spacy")
    """
    from .export import write_docbin
    from .views import require_tables

    _views(require_tables, out_dir)
    click.echo(f"wrote {write_docbin(out_dir, docbin)} documents to {docbin}")


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
@click.option("--holdout-every", type=click.IntRange(2), default=None,
              help="Also score apart the held-out part: every N-th gold file in name order.")
@click.option("--pin", "pin_to", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the measured scores as the floors file PIN (refuses to lower a floor).")
@click.option("--allow-lower", is_flag=True, help="With --pin: lower floors that the scores fell below.")
@click.option("--no-baseline", is_flag=True, help="Skip the underthesea ner baseline.")
@click.option("--details/--no-details", default=True, show_default=True, help="List misses and false positives.")
@click.option("--facts", "only", default=None, help="Score only these fact types, comma-separated (gold that "
              "annotates only them: no document fields, no baseline), e.g. programme,programme_party.")
def eval_(gold_dir, out_dir, floors, holdout_every, pin_to, allow_lower, no_baseline, details, only) -> None:
    """Precision, recall and F1 per fact type against gold annotations.

    \b
    Examples:
      vnpress eval --gold tests/gold --out outputs --floors tests/eval_floors.json
      vnpress eval --gold ../shared/devset/gold --out build/dev_out --holdout-every 4 --pin tests/dev_floors.json
      vnpress eval --gold tests/programmes_gold --out build/prog_out --facts programme,programme_party,programme_action
    """
    from .scorecard import check_floors, pin, render_eval
    from .scoring import evaluate, load_golds

    from .evaluate import FACTS

    facts = tuple(f.strip() for f in only.split(",")) if only else None
    if facts and (unknown := sorted(set(facts) - set(FACTS))):
        raise click.BadParameter(f"unknown fact type(s) {unknown}; known: {', '.join(FACTS)}", param_hint="--facts")
    report = evaluate(gold_dir, out_dir, holdout_every=holdout_every, facts=facts)
    if not no_baseline and not facts:
        from .baseline import baseline_scores

        report["baseline"] = baseline_scores(load_golds(gold_dir), out_dir)
    (out_dir / "eval.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    click.echo(render_eval(report, details=details, baseline=report.get("baseline")))
    if pin_to:
        down = pin(report, pin_to, allow_lower=allow_lower)
        if down:
            raise click.ClickException(f"not pinned: it would lower {'; '.join(down)} (--allow-lower to do it)")
        click.echo(f"floors pinned in {pin_to}")
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
