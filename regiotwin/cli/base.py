"""What every command shares: the root group, option types, pair selection, error handling.

Only click and the standard library are imported at module level, so `regiotwin --help` stays
fast; pydantic, PyYAML, jinja2 and rich are imported inside the commands that need them.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from regiotwin import __version__
from regiotwin.cli.signals import Terminated, exit_code
from regiotwin.english import plural as plural  # the one English plural, for every command
from regiotwin.vocabulary import Vocabulary

if TYPE_CHECKING:
    from regiotwin.checks import Screening
    from regiotwin.errors import OptionValueError
    from regiotwin.workspace import Workspace

INTERNAL_ERROR = 70


# --- option values -----------------------------------------------------------------------------


class BadValue(click.BadParameter):
    """A malformed option value: refused with exit 1 like other bad input (issue #4).

    The one rule for every command: a value that cannot be used as given (`--amount abc`, a
    `--receipt` that is a folder, `--km abc`, `-o ''`) is reported in click's words,
    `Error: Invalid value for '--amount': …`, with exit 1, whether click's own type finds it
    (`_values_exit_1`), one of ours, or the core (`OptionValueError`, `bad_value`). A missing
    required option, an unknown option or command and an ambiguous id stay usage errors
    (exit 2)."""

    exit_code = 1


def _values_exit_1(parse: Any, ctx: click.Context, args: list[str]) -> list[str]:
    """Parse the command line; a malformed value of any parameter type (click.Path, int, …)
    exits 1 like ours, a missing one stays a usage error."""
    try:
        args = parse(ctx, args)
    except (click.MissingParameter, BadValue):
        raise
    except click.BadParameter as exc:
        raise BadValue(exc.message, ctx=exc.ctx, param=exc.param,
                       param_hint=exc.param_hint) from None
    return args


def option_param(ctx: click.Context, name: str) -> click.Parameter | None:
    """The parameter *name* (its Python name, an option such as `-o`, or an argument's
    metavar such as `PATH`) of the command or of a group above it."""
    here: click.Context | None = ctx
    while here is not None:
        for param in here.command.params:
            metavar = (param.metavar or "").strip("[].")
            if name in (param.name, metavar, *param.opts):
                return param
        here = here.parent
    return None


def bad_value(ctx: click.Context, exc: OptionValueError) -> BadValue:
    """A malformed value the core found (an OptionValueError), as click reports its own."""
    param = option_param(ctx, exc.option)
    hint = None if param is not None else f"'{exc.option}'"
    return BadValue(exc.detail, ctx=ctx, param=param, param_hint=hint)


class DateType(click.ParamType):
    """A date as people type it: 2016-06-27, 27.06.2016 or 27.6.2016 (regiotwin/dates.py)."""

    name = "DATE"

    def convert(self, value: Any, param: Any, ctx: Any) -> dt.date:
        if isinstance(value, dt.date):
            return value
        from regiotwin.dates import DateError, parse_date

        try:
            return parse_date(str(value))
        except DateError as exc:
            raise BadValue(str(exc), ctx=ctx, param=param) from None


DATE = DateType()


class Existing(click.ParamType):
    """Text naming something of the repository; the shell completion offers what exists (from
    file names and the record cache: regiotwin/completion.py), the commands look it up
    (regiotwin/lookup.py)."""

    def __init__(self, what: str, metavar: str) -> None:
        self.what = what  # `pairs`, `partners`, `contacts`, `meetings`, …, `events`
        self.name = metavar

    def convert(self, value: Any, param: Any, ctx: Any) -> str:
        return str(value)

    def shell_complete(self, ctx: Any, param: Any, incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem

        from regiotwin import completion

        top = ctx.find_root()
        cwd = Path.cwd()
        root = completion.find_repository(top.params.get("directory"), cwd)
        if root is None:
            return []
        if self.what == "pairs":
            values = completion.pair_ids(root)
        else:
            pairs = completion.pairs_meant(root, ctx.params.get("pair") or top.params.get("pair"),
                                           cwd)
            if self.what in ("partners", "contacts"):
                partners, contacts = completion.partners_and_contacts(root, pairs)
                values = partners if self.what == "partners" else contacts
            else:
                values = completion.record_ids(root, pairs, self.what)
            if self.what == "expenses":  # and the Belegnummern the paper receipts carry
                folded = incomplete.casefold()
                return [CompletionItem(v) for v in values if v.startswith(incomplete)] + [
                    CompletionItem(number, help=record_id) for number, record_id
                    in completion.receipt_numbers(root, pairs)
                    if number.casefold().startswith(folded)]
        return [CompletionItem(v) for v in values if v.startswith(incomplete)]


class ActionNumber(click.ParamType):
    """The number of a meeting's action item (as `meeting show` numbers them); the shell
    completion offers the items of the meeting named before it, with their text."""

    name = "N"

    def convert(self, value: Any, param: Any, ctx: Any) -> int:
        return click.INT.convert(value, param, ctx)

    def shell_complete(self, ctx: Any, param: Any, incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem

        from regiotwin import completion

        top = ctx.find_root()
        cwd = Path.cwd()
        root = completion.find_repository(top.params.get("directory"), cwd)
        if root is None:
            return []
        pairs = completion.pairs_meant(root, ctx.params.get("pair") or top.params.get("pair"),
                                       cwd)
        # completing an option's value, click leaves the arguments before it unparsed
        meeting = ctx.params.get("meeting_id") or (ctx.args[0] if ctx.args else None)
        items = completion.action_items(root, pairs, meeting)
        return [CompletionItem(n, help=text) for n, text in items if n.startswith(incomplete)]


PAIR = Existing("pairs", "ID")
PARTNER = Existing("partners", "PARTNER")
CONTACT = Existing("contacts", "NAME")
MEETING = Existing("meetings", "ID")
MEASURE = Existing("measures", "ID")
DECISION = Existing("decisions", "ID")
EXPENSE = Existing("expenses", "ID")
EVENT = Existing("events", "ID")


class _Command(click.Command):
    """A command whose text options are checked as the reader would check them, and whose
    malformed values all exit 1 in one format (BadValue)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return _values_exit_1(super().parse_args, ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        from regiotwin.errors import OptionValueError

        try:
            _check_text_options(ctx)
            return super().invoke(ctx)
        except OptionValueError as exc:
            raise bad_value(ctx, exc) from None


def _check_text_options(ctx: click.Context) -> None:
    """Text options hold what a record can hold: refused with the option's name otherwise
    (bytes that are not UTF-8 from a shell loop over a Windows-1252 file, control characters);
    names are composed (NFC), so one typed on macOS finds the same partner or contact."""
    from regiotwin.limits import nfc, text_problem

    for param in ctx.command.params:
        if not isinstance(param, click.Option) or isinstance(param.type, (click.Path, OutputType)):
            continue  # file names may hold any bytes the file system allows
        value = ctx.params.get(param.name or "")
        values = value if isinstance(value, tuple) else (value,)
        if not all(isinstance(v, str) for v in values) or not values:
            continue
        for text in values:
            problem = text_problem(text)
            if problem:
                raise BadValue(f"{problem}; nothing was written", ctx=ctx, param=param)
        normalised = tuple(nfc(v) for v in values)
        ctx.params[param.name or ""] = normalised if isinstance(value, tuple) else normalised[0]


def _interrupted(exc: KeyboardInterrupt) -> tuple[str, int]:
    """A true message after Ctrl-C or SIGTERM: what was written before it, or nothing."""
    from regiotwin.writer import written

    paths = written()
    what = "terminated" if isinstance(exc, Terminated) else "interrupted"
    code = exit_code(exc)
    if not paths:
        return f"{what}; nothing was written", code
    shown = ", ".join(_shown(p) for p in paths)
    return f"{what}; written completely before that: {shown}", code


def _shown(path: Path) -> str:
    state = click.get_current_context(silent=True)
    obj = state.find_object(State) if state else None
    root = obj._workspace.root if obj and obj._workspace else None
    if root is not None:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            pass
    return str(path)


class _Group(click.Group):
    """Turns the core's errors into messages and exit codes; never shows a traceback.

    Its commands may be *lazy* (click's LazyGroup pattern): a table of names to
    `module:attribute` and the first paragraph of their help, so that `--help` lists them and a
    command imports only its own module (`regiotwin budget status` never loads the reports).
    """

    command_class = _Command
    group_class = type  # subgroups are _Groups too

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return _values_exit_1(super().parse_args, ctx, args)

    def __init__(self, *args: Any, lazy: Mapping[str, tuple[str, str]] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            module, _, name = self.lazy[cmd_name][0].partition(":")
            command = getattr(importlib.import_module(module), name)
            assert isinstance(command, click.Command), self.lazy[cmd_name]
            self.add_command(command, cmd_name)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """click's list of commands, with the table's help for commands not loaded yet."""
        listed = []
        for name in self.list_commands(ctx):
            command = self.commands.get(name)
            if command is None:
                command = click.Command(name, help=self.lazy[name][1])
            if not command.hidden:
                listed.append((name, command))
        if listed:
            limit = formatter.width - 6 - max(len(name) for name, _ in listed)
            with formatter.section("Commands"):
                formatter.write_dl([(name, command.get_short_help_str(limit))
                                    for name, command in listed])

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        """click turns Ctrl-C while it parses the command line into "Aborted!" and exit 1; end
        it as every interrupt ends instead."""
        try:
            return super().make_context(info_name, args, parent, **extra)
        except KeyboardInterrupt as exc:
            message, code = _interrupted(exc)
            click.echo(message, err=True)
            raise SystemExit(code) from None

    def invoke(self, ctx: click.Context) -> Any:
        from regiotwin.errors import RegiotwinError

        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except RegiotwinError as exc:
            for finding in exc.findings:
                click.echo(str(finding), err=True)
            click.echo(f"error: {exc.message}", err=True)
            ctx.exit(exc.exit_code)
        except BrokenPipeError:
            sys.stderr.close()
            ctx.exit(0)
        except KeyboardInterrupt as exc:
            message, code = _interrupted(exc)
            click.echo(message, err=True)
            ctx.exit(code)
        except OSError as exc:  # a full disk, a read-only folder, a file open in Excel
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"error: {where}{exc.strerror or exc}; nothing was written", err=True)
            ctx.exit(1)
        except Exception as exc:  # the last line of defence: one line, exit 70
            click.echo(
                f"regiotwin: internal error ({type(exc).__name__}: {exc}); please report this",
                err=True,
            )
            ctx.exit(INTERNAL_ERROR)


class State:
    """What the root group learned: where to look for the repository and which pair."""

    def __init__(self, directory: str | None, pair: str | None) -> None:
        self.directory = directory
        self.pair = pair
        self._workspace: Workspace | None = None

    def workspace(self) -> Workspace:
        if self._workspace is None:
            from regiotwin.workspace import Workspace, locate_root

            cwd = Path.cwd()
            self._workspace = Workspace(locate_root(self.directory, cwd), cwd)
        return self._workspace


def current_state() -> State:
    return click.get_current_context().find_object(State)  # type: ignore[return-value]


def pair_option(func: Any) -> Any:
    return click.option(
        "--pair",
        "-p",
        "pair",
        type=PAIR,
        help="The pair to work on: its id, a unique prefix, or a partner of one pair only "
             "(default: the pair folder you are in, or the only pair).",
    )(func)


def json_option(func: Any) -> Any:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")(
        func
    )


LIST_FORMATS = ("table", "csv", "tsv", "json")  # regiotwin.terminal.FORMATS (a test holds them)


def list_format_option(func: Any) -> Any:
    """`--format table|csv|tsv|json` and `--json` (the same as `--format json`); the command
    gets `fmt`."""

    @functools.wraps(func)
    def command(*args: Any, as_json: bool = False, fmt: str = "table", **kwargs: Any) -> Any:
        if as_json:
            if fmt not in ("table", "json"):
                from regiotwin.errors import UsageError

                raise UsageError(f"--json and --format {fmt} exclude each other")
            fmt = "json"
        return func(*args, fmt=fmt, **kwargs)

    command = click.option(
        "--format", "fmt", type=ChoiceOne(LIST_FORMATS), default="table", show_default=True,
        help="table; csv or tsv (one header line, amounts as 1400.00, ISO dates) for "
             "spreadsheets and scripts; or json.")(command)
    return json_option(command)


def draft_option(func: Any) -> Any:
    return click.option(
        "--draft",
        is_flag=True,
        help="Make it even from data that fails `check`, marked as a draft (ENTWURF) at the top.",
    )(func)


def dry_run_option(func: Any) -> Any:
    return click.option("--dry-run", is_flag=True,
                        help="Show the change as a diff of the file (comments included); write "
                             "nothing.")(func)


def unset_option(fields: tuple[str, ...]) -> Any:
    """`--unset FIELD` (repeatable): remove an optional value from the record."""
    return click.option("--unset", "unset", multiple=True, type=FieldChoice(fields),
                        metavar="FIELD",
                        help=f"Remove a value (repeatable): {', '.join(fields)}.")


def unset_fields(names: tuple[str, ...], prefix: str = "") -> set[str]:
    """The model's field names for `--unset` values (`planned-cost` → `planned_cost`)."""
    return {prefix + name.replace("-", "_") for name in names}


def given(**values: Any) -> dict[str, Any]:
    """The options given on the command line (None: not given)."""
    return {name: value for name, value in values.items() if value is not None}


def nothing_to_change(options: str) -> Any:
    from regiotwin.errors import UsageError

    return UsageError(f"nothing to change; give {options}")


def show_outcome(edits: list[Any], warnings: list[str], dry_run: bool) -> None:
    """What a `set` or `remove` did: each file written with the fields it changed, or in a dry
    run the diff of each file; warnings and notes on stderr."""
    from regiotwin.records import changed_fields
    from regiotwin.terminal import echo, note, print_diff

    for warning in warnings:
        note(warning)
    if dry_run:
        for edit in edits:
            if edit.changed:
                print_diff(edit.diff())
        note("dry run: nothing was written" if any(e.changed for e in edits)
             else "dry run: nothing would change")
        return
    for edit in edits:
        if edit.after is None:
            echo(f"removed {edit.rel}")
        elif edit.written:
            echo(edit.rel)
            for line in changed_fields(edit):
                echo(f"  {line}")
    if not any(edit.written for edit in edits):
        note("nothing changed: the record says so already")


def choose_pair(pair: str | None) -> str:
    state = current_state()
    return state.workspace().select_pair(pair or state.pair)


def choose_pairs(pair: str | None) -> list[str]:
    state = current_state()
    return state.workspace().select_pairs(pair or state.pair)


def command(name: str | None = None, **attrs: Any) -> Any:
    """`@click.command` for our commands (their text options are checked)."""
    return click.command(name, cls=_Command, **attrs)


def group(name: str | None = None, **attrs: Any) -> Any:
    """`@click.group` for our groups (errors become messages; commands may be lazy)."""
    return click.group(name, cls=_Group, **attrs)


# Every command: where it lives and the first paragraph of its help, which `--help` shows
# without importing it (tests/test_cli_basics.py holds the text equal to the command's own).
COMMANDS: dict[str, tuple[str, str]] = {
    "budget": ("regiotwin.cli.money:budget", "Spending against the grant caps."),
    "check": ("regiotwin.cli.setup:check",
              "Validate every file: each finding as path:line: error|warning: message."),
    "completion": ("regiotwin.cli.shells:completion",
                   "Print the completion script for SHELL: bash, zsh, fish or powershell."),
    "contact": ("regiotwin.cli.setup:contact",
                "Contact people of the partners (every partner needs at least one)."),
    "deadline": ("regiotwin.cli.documents:deadline",
                 "Reporting deadlines: Zwischennachweis, Verwendungsnachweis, the programme's "
                 "own."),
    "decision": ("regiotwin.cli.twinning:decision",
                 "Council decisions (Beschlüsse) and the measures they enable."),
    "event": ("regiotwin.cli.twinning:event",
              "Programme-wide events (the networking events); they count as meetings for their "
              "pairs."),
    "expense": ("regiotwin.cli.money:expense",
                "Project and travel costs, booked against each partner's grant cap."),
    "export": ("regiotwin.cli.base:export", "Export data for other programs."),
    "fmt": ("regiotwin.cli.editors:fmt", "Tidy hand-edited record files; every comment is kept."),
    "init": ("regiotwin.cli.setup:init",
             "Create a data repository in DIRECTORY (default: here), or add files to one."),
    "measure": ("regiotwin.cli.twinning:measure",
                "The work plan (Arbeitsplan): measures, their owners, dates and status."),
    "meeting": ("regiotwin.cli.twinning:meeting",
                "Meetings: jour fixe, phone conferences, workshops, with minutes and action "
                "items."),
    "partnership": ("regiotwin.cli.setup:partnership",
                    "Create, list, show and change twinning pairs."),
    "report": ("regiotwin.cli.documents:report",
               "German documents rendered from Jinja templates (Markdown)."),
    "schema": ("regiotwin.cli.editors:schema",
               "JSON Schemas of the record files, for editors and CI."),
    "status": ("regiotwin.cli.documents:status", "The consultant's overview: each pair's "
               "period, meetings, budget, open items and next deadline."),
    "travel": ("regiotwin.cli.travel:travel",
               "Travel costs by the law: Wegstreckenentschädigung, Tagegeld, "
               "Übernachtungsgeld."),
}
EXPORTS: dict[str, tuple[str, str]] = {
    "calendar": ("regiotwin.cli.documents:export_calendar",
                 "iCalendar (.ics) of meetings, work-plan due dates, action items and "
                 "deadlines."),
    "expenses": ("regiotwin.cli.money:export_expenses",
                 "The receipts list (Belegliste): every expense by pair, partner, category, "
                 "date and Belegnummer, with its own-funds share; cancelled expenses keep their "
                 "row and number."),
}


@group(context_settings={"help_option_names": ["-h", "--help"]}, lazy=COMMANDS)
@click.option(
    "-C",
    "directory",
    metavar="DIR",
    help="Run as if started in DIR (also $REGIOTWIN_DIR).",
)
@click.option("--pair", "-p", "pair", type=PAIR, help="The pair to work on.")
@click.version_option(
    __version__, "--version", prog_name="regiotwin", message="%(prog)s %(version)s"
)
@click.pass_context
def cli(ctx: click.Context, directory: str | None, pair: str | None) -> None:
    """Run a RegioTwin climate-protection twinning year as plain YAML files in git.

    The data repository is the nearest folder at or above the current one that holds
    regiotwin.yaml. Start with `regiotwin init`, then `regiotwin partnership new`.
    """
    from regiotwin import notices, writer

    ctx.obj = State(directory, pair)
    writer.forget_written()
    notices.set_receiver(lambda message: click.echo(message, err=True))


# --- shared helpers ------------------------------------------------------------------------------


def load_selected(pair: str | None) -> tuple[Workspace, Any, Any]:
    workspace = current_state().workspace()
    loaded, ship = workspace.load_pair(choose_pair(pair))
    return workspace, loaded, ship


def screened(pair_ids: list[str], warnings: bool = True) -> Screening:
    """Check the pairs a figure or document comes from (SPEC §3), printing every error that
    concerns them as `check` does; without *warnings* when the command shows no obligations."""
    screening = current_state().workspace().screen(pair_ids, warnings)
    for finding in screening.error_findings():
        click.echo(str(finding), err=True)
    return screening


def exit_if_invalid(screening: Screening, draft: bool) -> None:
    """After the valid pairs were shown: exit 1 when a pair had to be left out."""
    left_out = screening.left_out(draft)
    if not left_out:
        return
    pairs = ", ".join(f"{p} ({plural(screening.error_count([p]), 'error')})" for p in left_out)
    hint = ("its partnership.yaml is invalid, so not even a draft can be made" if draft
            else "fix them (see `regiotwin check`), or add --draft for a draft marked as such")
    click.echo(f"error: no figures from data with errors: {pairs}; {hint}", err=True)
    click.get_current_context().exit(1)


def rel_path(workspace: Workspace, path: Path) -> str:
    """A path as the user sees it: relative to the root, or whole when it lies outside."""
    try:
        return path.relative_to(workspace.root).as_posix()
    except ValueError:
        return str(path)


def read_text_file(name: str, option: str) -> str:
    """Text of a file given on the command line (`-` is standard input), UTF-8 only, and no
    more than a record can hold (the read stops there: `/dev/zero` is refused, not read)."""
    from regiotwin.errors import OptionValueError
    from regiotwin.limits import MAX_BYTES, nfc, text_problem

    try:
        if name == "-":
            raw = sys.stdin.buffer.read(MAX_BYTES + 1)
        else:
            with open(name, "rb") as handle:
                raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise OptionValueError(option, f"{name} does not exist") from None
    except OSError as exc:
        raise OptionValueError(option, f"cannot read {name}: {exc.strerror}") from None
    if len(raw) > MAX_BYTES:
        raise OptionValueError(option, f"{name} is larger than 1 MiB, more than a record can "
                               "hold; nothing was written")
    try:
        text = raw.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        raise OptionValueError(option, f"{name} is not UTF-8 text; save it as UTF-8") from None
    problem = text_problem(text)
    if problem:
        raise OptionValueError(option, f"{name}: {problem}; nothing was written")
    return nfc(text)


def edit_until_valid(model: Any, what: str) -> Any:
    """Open the record in $EDITOR; show it again with the error until it validates."""
    from regiotwin.store import record_yaml

    return edit_text_until_valid(record_yaml(model), model, what)[0]


def edit_text_until_valid(text: str, model: Any, what: str) -> tuple[Any, str]:
    """Open *text* (the record *model*) in $EDITOR until it validates and keeps its id; the
    record and the text as the editor left it (its comments and layout)."""
    from regiotwin.errors import RefusedError
    from regiotwin.loader import validate
    from regiotwin.yamlio import YamlError, parse_yaml

    header = ""
    while True:
        edited = click.edit(header + text, extension=".yaml", require_save=False)
        if edited is None or not edited.strip():
            raise RefusedError(f"the {what} was left empty; nothing was saved")
        body = "\n".join(line for line in edited.splitlines() if not line.startswith("# error:"))
        try:
            value, problems = validate(type(model), parse_yaml(body + "\n"), what)
            messages = [f"line {p.line}: {p.message}" for p in problems]
        except YamlError as exc:
            value, messages = None, [f"line {exc.line}: {exc.message}"]
        if value is not None and value.id == model.id:
            return value, body + "\n"
        if value is not None:
            messages = [f"the id must stay {model.id!r} (it names the file)"]
        if body.strip() == text.strip():
            detail = "; ".join(messages)
            raise RefusedError(f"the {what} is still invalid ({detail}); nothing was saved")
        for message in messages:
            click.echo(f"error: {message}", err=True)
        header = "".join(f"# error: {m}\n" for m in messages)
        text = body + "\n"


# --- option types ------------------------------------------------------------------------------


class ChoiceOne(click.Choice):
    """A choice whose wrong value is refused with exit 1 and the list of choices."""

    def fail(self, message: str, param: Any = None, ctx: Any = None) -> Any:
        raise BadValue(message, ctx=ctx, param=param)


class FieldChoice(ChoiceOne):
    """A field name as the file writes it or as an option would (`end_time`, `end-time`)."""

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        spelled = {c.replace("_", "-"): c for c in map(str, self.choices)}
        return super().convert(spelled.get(str(value).replace("_", "-"), value), param, ctx)


class VocabularyChoice(click.ParamType):
    """An enumerated value in English or German (`--status beschlossen`), stored in English."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.name = vocabulary.name

    def get_metavar(self, param: Any, ctx: Any = None) -> str:
        return "[" + "|".join(self.vocabulary.values) + "]"

    def convert(self, value: Any, param: Any, ctx: Any) -> str:
        found = self.vocabulary.lookup(str(value))
        if found is None:
            raise BadValue(
                f"{value!r} is not a {self.vocabulary.name}; use one of: "
                f"{self.vocabulary.describe()}",
                ctx,
                param,
            )
        return found

    def shell_complete(self, ctx: Any, param: Any, incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem

        return [CompletionItem(v) for v in self.vocabulary.values if v.startswith(incomplete)]


class TimeType(click.ParamType):
    """A time as people type it: 14:30, 9:30, 14.30, 14:30 Uhr; stored as HH:MM."""

    name = "HH:MM"

    def convert(self, value: Any, param: Any, ctx: Any) -> str:
        from regiotwin.dates import DateError, parse_time

        try:
            return parse_time(str(value))
        except DateError as exc:
            raise BadValue(str(exc), ctx, param) from None


class AmountType(click.ParamType):
    """An amount in the one grammar of money.py; *zero_ok* for caps and planned costs."""

    name = "AMOUNT"

    def __init__(self, zero_ok: bool = False) -> None:
        self.zero_ok = zero_ok

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        from regiotwin.money import AmountError, parse_amount

        try:
            return parse_amount(str(value), zero_ok=self.zero_ok)
        except AmountError as exc:
            raise BadValue(str(exc), ctx, param) from None
        except ArithmeticError:  # more digits than a Decimal holds
            raise BadValue(f"{value!r} is far too large for an amount", ctx, param) from None


AMOUNT = AmountType()


class OutputType(click.ParamType):
    """`-o FILE`: a regular file or a new one in an existing folder; `-` is standard output.

    A folder, a device or a pipe is refused in one line before any work is done (and the
    writer refuses again should it change meanwhile); no folder is created unasked.
    """

    name = "FILE"

    def convert(self, value: Any, param: Any, ctx: Any) -> str:
        text = str(value)
        if text == "-":
            return text
        if not text:
            raise BadValue("an empty file name; give a file name, or - for standard output",
                           ctx, param)
        from regiotwin.writer import output_problem

        problem = output_problem(Path(text))
        if problem:
            joined = " " if problem.startswith("is ") else ": "
            raise BadValue(f"{text!r}{joined}{problem}; nothing was written", ctx, param)
        return text


OUTPUT = OutputType()


def output_option(func: Any) -> Any:
    return click.option("-o", "--output", type=OUTPUT, metavar="FILE",
                        help="Write to FILE (atomically) instead of standard output ('-').")(func)


def write_output(output: str | None, data: str | bytes) -> bool:
    """Send a document (UTF-8, line ends as given) to standard output or, atomically, to the
    file of `-o`. Returns True when a file was written (the caller says so on stderr)."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if output is None or output == "-":
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
        return False
    from regiotwin.writer import write_atomic

    target = Path(os.path.realpath(output))  # a link is followed to the file it names
    write_atomic(target, payload, new=False)
    return True


def load_valid(workspace: Workspace) -> Any:
    """The whole repository; invalid files stop overview commands with their findings."""
    return workspace.load_valid()


@group(lazy=EXPORTS)
def export() -> None:
    """Export data for other programs."""


