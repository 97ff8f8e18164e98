"""What fits the data to its users' editors: JSON Schemas of the record files, and `fmt`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from regiotwin.cli.base import ChoiceOne, command, current_state, plural

# The kinds of record file (regiotwin.schema.KINDS; a test keeps them equal, so that --help
# needs no pydantic).
SCHEMA_KINDS = ("programme", "partnership", "measure", "meeting", "decision", "expense", "event")


@command()
@click.argument("kind", required=False, type=ChoiceOne(SCHEMA_KINDS), metavar="[KIND]")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="The folder of the schemas (default: .regiotwin/schemas/ of the repository).")
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 naming the schema files that are out of date.")
def schema(kind: str | None, output: Path | None, check: bool) -> None:
    """JSON Schemas of the record files, for editors and CI.

    Writes one schema per kind of record file (programme, partnership, measure, meeting,
    decision, expense, event) to .regiotwin/schemas/ of the repository, where `regiotwin init`
    put them and VS Code's YAML extension finds them, and names the files it changed. Run it
    after upgrading regiotwin. With KIND, prints that one schema instead.
    """
    if kind is not None:
        if output is not None or check:
            raise click.UsageError("KIND prints one schema; leave out -o and --check")
        from regiotwin.schema import schema_text

        click.echo(schema_text(kind), nl=False)
        return

    from regiotwin.errors import DataError, Finding
    from regiotwin.schema import SCHEMA_DIR, compare_schemas, write_schemas
    from regiotwin.terminal import note

    if output is None:
        root = current_state().workspace().root
        folder = root / SCHEMA_DIR

        def shown(path: Path) -> str:
            return path.relative_to(root).as_posix()
    else:
        folder = output

        def shown(path: Path) -> str:
            return str(path)

    if check:
        result = compare_schemas(folder)
        findings = (
            [Finding(shown(folder / n), 0, "error", "out of date", code="schema-stale")
             for n in result.changed]
            + [Finding(shown(folder / n), 0, "error", "missing", code="schema-missing")
               for n in result.missing]
            + [Finding(shown(folder / n), 0, "error", "not a schema of this regiotwin; delete it",
                       code="schema-unknown")
               for n in result.unknown]
        )
        if findings:
            again = "regiotwin schema" + ("" if output is None else f" -o {output}")
            raise DataError(
                f"{shown(folder)} is not as this regiotwin writes it; run `{again}` to update it",
                findings,
            )
        note(f"the schemas in {shown(folder)} are up to date")
        return
    written = write_schemas(folder)
    for path in written:
        note(f"wrote {shown(path)}")
    if not written:
        note(f"the schemas in {shown(folder)} are up to date")
    for name in compare_schemas(folder).unknown:
        note(f"{shown(folder / name)} is not a schema of this regiotwin; delete it if it is "
             "left over")


@command()
@click.argument("paths", nargs=-1, metavar="[PATH]...",
                type=click.Path(exists=True, path_type=Path))
@click.option("--check", is_flag=True,
              help="Change nothing; exit 1 naming the files that are not tidy.")
def fmt(paths: tuple[Path, ...], check: bool) -> None:
    """Tidy hand-edited record files; every comment is kept.

    Puts the keys of each record in the order regiotwin writes them and writes values as it
    writes them: text quoted only where a YAML reader could misread it (`'10:00'`, `'no'`),
    dates as YYYY-MM-DD, amounts with two decimals (12.50). Nothing else changes: comments,
    blank lines, indentation, text written over several lines and lists written as [a, b]
    stay as they are. A tidy file is not rewritten.

    Without PATH it tidies every record file of the repository; PATH names record files, or
    folders whose record files to tidy. A file that is not valid is left as it is and reported
    as `regiotwin check` reports it (exit 1).
    """
    from regiotwin.fmt import format_repository
    from regiotwin.terminal import echo, note

    root = current_state().workspace().root
    report = format_repository(root, paths, check=check)
    for folder in report.empty:
        note(f"{folder}: no record files here")
    for rel in report.changed:
        if check:
            echo(f"{rel}: would be reformatted")
        else:
            note(f"reformatted {rel}")
    for finding in report.findings:
        click.echo(str(finding), err=True)
    parts = []
    if report.changed:
        done = "would be reformatted" if check else "reformatted"
        parts.append(f"{plural(len(report.changed), 'file')} {done}")
    if report.tidy or not parts:
        parts.append(f"{plural(report.tidy, 'file')} already tidy")
    if report.invalid:
        left = "it is" if report.invalid == 1 else "they are"
        parts.append(f"{plural(report.invalid, 'file')} left as {left} (fix the errors above)")
    hint = "; run `regiotwin fmt` to tidy them" if check and report.changed else ""
    note(", ".join(parts) + hint)
    if report.findings or (check and report.changed):
        sys.exit(1)
