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
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out_dir", default=Path("outputs"), show_default=True, type=click.Path(path_type=Path),
              help="Folder of the Parquet tables.")
@click.option("--workers", type=int, default=None, help="Worker processes (default: the machine's cores).")
@click.option("--engine", type=click.Choice(["process", "serial", "dask"]), default="process", show_default=True,
              help="How documents are mapped: process pool, in-process, or Dask.")
@click.option("--scheduler", default=None, help="Address of an existing Dask scheduler (tcp://HOST:PORT).")
@click.option("--max-bytes", type=int, default=Settings.max_file_bytes, show_default=True,
              help="Larger input files go to the errors table.")
@click.option("--drop-removed", is_flag=True, help="Delete the rows of documents whose source file is gone "
              "(default: keep them, marked status=removed).")
@click.option("--max-failed", type=float, default=0.0, show_default=True,
              help="Exit non-zero when more than this fraction of inputs failed.")
@click.option("--quiet", is_flag=True, help="Only the summary line (for cron).")
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(path_type=Path),
              help="A folder of your own rule files (same names and formats as pipeline/lexicons/), added to "
                   "the package's; repeatable.")
@click.option("--settings", "settings_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="A TOML settings file (rules = [...], max_failed_fraction = ...).")
def run(inputs, out_dir, workers, engine, scheduler, max_bytes, drop_removed, max_failed, quiet, rules_dirs,
        settings_file) -> None:
    """Process INPUTS (files or folders, searched recursively) into tables under --out.

    \b
    Examples:
      vnpress run corpus --out outputs --workers 2
      vnpress run corpus --out outputs --rules my_rules/   # my_rules/titles.jsonl, agencies.jsonl …
    """
    from .config import SettingsError, from_file
    from .process import load_rules
    from .rules import RulesError
    from .runner import run as run_pipeline

    try:
        settings = from_file(settings_file) if settings_file else Settings()
        given = click.get_current_context().get_parameter_source  # flags given on the line win over the file
        settings = replace(settings, **{field: value for field, option, value in (
            ("max_file_bytes", "max_bytes", max_bytes), ("max_failed_fraction", "max_failed", max_failed))
            if given(option) is not click.core.ParameterSource.DEFAULT or not settings_file})
        rules = load_rules([*settings.rules, *rules_dirs])
    except SettingsError as exc:
        click.echo(f"vnpress: {exc}", err=True)
        sys.exit(2)
    except RulesError as exc:  # before any document is read: the published tables stay as they are
        click.echo(f"vnpress: the rules cannot be used ({len(exc.problems)} problem(s)); nothing was run:", err=True)
        for problem in exc.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(2)
    logging.basicConfig(level=logging.WARNING if quiet else logging.INFO, format="%(message)s")
    summary = run_pipeline(list(inputs), out_dir, settings, engine=engine, workers=workers, scheduler=scheduler,
                           drop_removed=drop_removed, progress=None if quiet else _progress, rules=rules)
    for error in summary.errors:
        if not quiet or error["stage"] != "skip":
            click.echo(f"  {error['stage']}: {error['source_path']}: {error['error']}", err=True)
    click.echo(summary.line())
    if not summary.balanced or (summary.n_input and summary.n_failed / summary.n_input > settings.max_failed_fraction):
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
def compact(out_dir) -> None:
    """Merge the per-run files of the append-only tables (runs, errors) into one file each.

    \b
    Example:
      vnpress compact --out outputs
    """
    from .write import compact_logs

    for name, n in compact_logs(out_dir).items():
        click.echo(f"{name}: merged {n} files")


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
