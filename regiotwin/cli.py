"""The command line: parse options, call one core function, print the result.

Only click and the standard library are imported at module level, so `regiotwin --help` stays
fast; pydantic, PyYAML, jinja2 and rich are imported inside the commands that need them.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from regiotwin import __version__

if TYPE_CHECKING:
    from regiotwin.workspace import Workspace

INTERNAL_ERROR = 70


# --- option values -----------------------------------------------------------------------------


class BadValue(click.BadParameter):
    """A malformed option value: refused with exit 1 like other bad input (issue #4)."""

    exit_code = 1


class DateType(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: Any, ctx: Any) -> dt.date:
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError as exc:
                raise BadValue(
                    f"{text!r} is not a real date ({exc})", ctx=ctx, param=param
                ) from None
        raise BadValue(
            f"{text!r} is not a date; write it as YYYY-MM-DD (e.g. 2016-07-12)",
            ctx=ctx,
            param=param,
        )


DATE = DateType()


class _Group(click.Group):
    """Turns the core's errors into messages and exit codes; never shows a traceback."""

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
        except KeyboardInterrupt:
            click.echo("interrupted; nothing half-written was left behind", err=True)
            ctx.exit(130)
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


def _state() -> State:
    return click.get_current_context().find_object(State)  # type: ignore[return-value]


def _pair_option(func: Any) -> Any:
    return click.option(
        "--pair",
        "-p",
        "pair",
        metavar="ID",
        help="The pair to work on (default: the pair folder you are in, or the only pair).",
    )(func)


def _json_option(func: Any) -> Any:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")(
        func
    )


def _choose_pair(pair: str | None) -> str:
    state = _state()
    return state.workspace().select_pair(pair or state.pair)


def _choose_pairs(pair: str | None) -> list[str]:
    state = _state()
    return state.workspace().select_pairs(pair or state.pair)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-C",
    "directory",
    metavar="DIR",
    help="Run as if started in DIR (also $REGIOTWIN_DIR).",
)
@click.option("--pair", "-p", "pair", metavar="ID", help="The pair to work on.")
@click.version_option(
    __version__, "--version", prog_name="regiotwin", message="%(prog)s %(version)s"
)
@click.pass_context
def cli(ctx: click.Context, directory: str | None, pair: str | None) -> None:
    """Run a RegioTwin climate-protection twinning year as plain YAML files in git.

    The data repository is the nearest folder at or above the current one that holds
    regiotwin.yaml. Start with `regiotwin init`, then `regiotwin partnership new`.
    """
    ctx.obj = State(directory, pair)


# --- init -------------------------------------------------------------------------------------


@cli.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False))
def init(directory: str) -> None:
    """Create a data repository in DIRECTORY (default: here).

    Writes regiotwin.yaml with the programme defaults (RegioTwin, IdE, BMUB, Projektträger
    Jülich, EUR, grant cap 1,400.00 per municipality, funding rate 100 %), partnerships/,
    .gitattributes and .gitignore. Refuses to run over an existing regiotwin.yaml.
    """
    from regiotwin.store import init_repository
    from regiotwin.terminal import note

    target = Path(directory)
    written = init_repository(target)
    for path in written:
        note(f"created {path}")
    note("next: regiotwin partnership new --partner NAME --partner NAME --topic TEXT --start DATE")


# --- partnership ------------------------------------------------------------------------------


@cli.group()
def partnership() -> None:
    """Create, list and show twinning pairs."""


@partnership.command("new")
@click.option(
    "--partner",
    "partners",
    multiple=True,
    required=True,
    metavar="NAME",
    help="A partner's name, e.g. 'Landkreis Gießen' (give exactly two).",
)
@click.option("--topic", required=True, help="The climate-protection field of the twinning.")
@click.option("--start", required=True, type=DATE, help="First day of the twinning year.")
@click.option("--end", type=DATE, help="Last day (default: start + one year - one day).")
@click.option("--title", help="Title (default: the two partner names).")
@click.option(
    "--id", "pair_id", metavar="ID", help="Folder name (default: both partner ids joined by --)."
)
@click.option(
    "--advisor", metavar="PARTNER", help="The partner with experience (the other implements)."
)
@click.option("--consultant", metavar="NAME", help="The RegioTwin consultant of the pair.")
def partnership_new(
    partners: tuple[str, ...],
    topic: str,
    start: dt.date,
    end: dt.date | None,
    title: str | None,
    pair_id: str | None,
    advisor: str | None,
    consultant: str | None,
) -> None:
    """Create a twinning pair: partnerships/<id>/partnership.yaml."""
    from regiotwin.partnerships import new_partnership
    from regiotwin.terminal import echo

    workspace = _state().workspace()
    path = new_partnership(
        workspace.root,
        partners=list(partners),
        topic=topic,
        start=start,
        end=end,
        title=title,
        pair_id=pair_id,
        advisor=advisor,
        consultant=consultant,
    )
    echo(path.relative_to(workspace.root).as_posix())


@partnership.command("list")
@_json_option
def partnership_list(as_json: bool) -> None:
    """List the pairs of this repository."""
    from regiotwin.partnerships import pair_summaries
    from regiotwin.terminal import print_json, table

    rows = pair_summaries(_state().workspace())
    if as_json:
        print_json(rows)
        return
    table(
        ["id", "title", "topic", "start", "end", "partners"],
        (
            [
                r["id"],
                r["title"],
                r["topic"],
                r["start"],
                r["end"],
                " / ".join(p["name"] for p in r["partners"]),
            ]
            for r in rows
        ),
    )


@partnership.command("show")
@_pair_option
@_json_option
def partnership_show(pair: str | None, as_json: bool) -> None:
    """Show one pair: period, consultant, partners and their contact people."""
    from regiotwin.money import format_eur
    from regiotwin.terminal import echo, print_json

    workspace = _state().workspace()
    _, ship = workspace.load_pair(_choose_pair(pair))
    if as_json:
        print_json(ship.model_dump(mode="json"))
        return
    cap = workspace.programme().grant_cap
    lines = [
        f"{ship.title}  ({ship.id})",
        f"topic:       {ship.topic}",
        f"period:      {ship.start} to {ship.end}",
    ]
    if ship.consultant:
        c = ship.consultant
        lines.append(f"consultant:  {', '.join(x for x in (c.name, c.organisation, c.email) if x)}")
    if ship.agreement:
        a = ship.agreement
        lines.append(f"agreement:   {', '.join(str(x) for x in (a.signed, a.reference) if x)}")
    for partner in ship.partners:
        role = f", {partner.role}" if partner.role else ""
        kind = f"{partner.kind}, " if partner.kind else ""
        limit = format_eur(partner.grant_cap if partner.grant_cap is not None else cap)
        lines += ["", f"{partner.name}  ({partner.id}; {kind}grant cap {limit}{role})"]
        if not partner.contacts:
            lines.append("  no contact person yet")
        for person in partner.contacts:
            extra = ", ".join(x for x in (person.function, person.email, person.phone) if x)
            lines.append(f"  - {person.name}" + (f" ({extra})" if extra else ""))
    if ship.notes:
        lines += ["", f"notes: {ship.notes}"]
    for line in lines:
        echo(line)


# --- contact ----------------------------------------------------------------------------------


@cli.group()
def contact() -> None:
    """Contact people of the partners (every partner needs at least one)."""


@contact.command("add")
@click.option("--partner", required=True, metavar="PARTNER", help="Partner id or exact name.")
@click.option("--name", required=True, help="The contact's full name.")
@click.option("--function", help="Role, e.g. Klimaschutzmanagerin.")
@click.option("--email", help="E-mail address.")
@click.option("--phone", help="Phone number.")
@_pair_option
def contact_add(
    partner: str,
    name: str,
    function: str | None,
    email: str | None,
    phone: str | None,
    pair: str | None,
) -> None:
    """Add a contact person to a partner."""
    from regiotwin.models import Contact
    from regiotwin.store import add_contact, build
    from regiotwin.terminal import echo

    workspace = _state().workspace()
    pair_id = _choose_pair(pair)
    workspace.load_pair(pair_id)
    new = build(
        Contact, {"name": name, "function": function, "email": email, "phone": phone}, "contact"
    )
    ship = add_contact(workspace.root, pair_id, partner, new)
    target = ship.partner(partner)
    assert target is not None
    echo(f"added {new.name} to {target.id} in partnerships/{pair_id}/partnership.yaml")


# --- shared helpers for record commands ---------------------------------------------------------


def _load_selected(pair: str | None) -> tuple[Workspace, Any, Any]:
    workspace = _state().workspace()
    loaded, ship = workspace.load_pair(_choose_pair(pair))
    return workspace, loaded, ship


def _rel(workspace: Workspace, path: Path) -> str:
    return path.relative_to(workspace.root).as_posix()


def _read_text_file(name: str, option: str) -> str:
    """Text of a file given on the command line (`-` is standard input), UTF-8 only."""
    from regiotwin.errors import RefusedError

    try:
        raw = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except FileNotFoundError:
        raise RefusedError(f"{option}: {name} does not exist") from None
    except OSError as exc:
        raise RefusedError(f"{option}: cannot read {name}: {exc.strerror}") from None
    try:
        return raw.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        raise RefusedError(f"{option}: {name} is not UTF-8 text; save it as UTF-8") from None


def _edit_until_valid(model: Any, what: str) -> Any:
    """Open the record in $EDITOR; show it again with the error until it validates."""
    from regiotwin.errors import RefusedError
    from regiotwin.loader import validate
    from regiotwin.store import record_yaml
    from regiotwin.yamlio import YamlError, parse_yaml

    text = record_yaml(model)
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
            return value
        if value is not None:
            messages = [f"the id must stay {model.id!r} (it names the file)"]
        if body.strip() == text.strip():
            detail = "; ".join(messages)
            raise RefusedError(f"the {what} is still invalid ({detail}); nothing was saved")
        for message in messages:
            click.echo(f"error: {message}", err=True)
        header = "".join(f"# error: {m}\n" for m in messages)
        text = body + "\n"


# --- meetings ---------------------------------------------------------------------------------


MEETING_KINDS = (
    "jour-fixe", "phone-conference", "workshop", "working-meeting", "study-tour",
    "network-event", "other",
)


class ChoiceOne(click.Choice):
    """A choice whose wrong value is refused with exit 1 and the list of choices."""

    def fail(self, message: str, param: Any = None, ctx: Any = None) -> Any:
        raise BadValue(message, ctx=ctx, param=param)


class TimeType(click.ParamType):
    name = "HH:MM"

    def convert(self, value: Any, param: Any, ctx: Any) -> str:
        text = str(value).strip()
        if re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", text):
            return text
        if re.fullmatch(r"\d:[0-5]\d", text):
            return "0" + text
        raise BadValue(f"{text!r} is not a time; write it as HH:MM (00:00-23:59)", ctx, param)


@cli.group()
def meeting() -> None:
    """Meetings: jour fixe, phone conferences, workshops, with minutes and action items."""


@meeting.command("add")
@click.option("--date", "date", required=True, type=DATE, help="Day of the meeting.")
@click.option("--kind", type=ChoiceOne(MEETING_KINDS), default="jour-fixe", show_default=True,
              help="Kind of meeting.")
@click.option("--title", help="Title (default: the kind's German name and the date).")
@click.option("--time", type=TimeType(), help="Start time, HH:MM.")
@click.option("--location", help="Place, or 'Telefon' / 'online'.")
@click.option("--participant", "participants", multiple=True, metavar="NAME",
              help="Who took part (repeatable). A contact's name is linked to its partner; "
                   "'Name @partner' links a guest to a partner.")
@click.option("--agenda", multiple=True, metavar="TEXT", help="An agenda item (repeatable).")
@click.option("--minutes-file", metavar="FILE", help="Minutes in Markdown; '-' reads stdin.")
@click.option("--decision", "decisions", multiple=True, metavar="TEXT",
              help="A decision taken (repeatable).")
@click.option("--action", "actions", multiple=True, metavar="'WHAT [@OWNER] [due DATE]'",
              help="An action item (repeatable), e.g. "
                   "--action 'Angebote einholen @Max Beispiel due 2016-08-01'. "
                   "OWNER is a partner id or name or a contact's name.")
@click.option("--edit", is_flag=True, help="Open the new record in $EDITOR before saving.")
@_pair_option
def meeting_add(
    date: dt.date, kind: str, title: str | None, time: str | None, location: str | None,
    participants: tuple[str, ...], agenda: tuple[str, ...], minutes_file: str | None,
    decisions: tuple[str, ...], actions: tuple[str, ...], edit: bool, pair: str | None,
) -> None:
    """Record a meeting: meetings/<date>-<slug>.yaml. Prints the path written."""
    from regiotwin.records import new_meeting, save_new
    from regiotwin.terminal import echo

    workspace, loaded, ship = _load_selected(pair)
    minutes = _read_text_file(minutes_file, "--minutes-file") if minutes_file else None
    record = new_meeting(
        loaded, ship, date=date, kind=kind, title=title, time=time, location=location,
        participants=list(participants), agenda=list(agenda), minutes=minutes,
        decisions=list(decisions), actions=list(actions),
    )
    if edit:
        record = _edit_until_valid(record, "meeting")
    echo(_rel(workspace, save_new(workspace.root, loaded, "meetings", record)))


@meeting.command("list")
@_pair_option
@_json_option
def meeting_list(pair: str | None, as_json: bool) -> None:
    """List the pair's meetings: date, kind, title, open action items."""
    from regiotwin.terminal import print_json, table

    _, loaded, _ = _load_selected(pair)
    meetings = sorted((m.model for m in loaded.meetings), key=lambda m: (m.date, m.id))
    if as_json:
        print_json([
            {"id": m.id, "date": m.date, "time": m.time, "kind": m.kind, "title": m.title,
             "open_actions": sum(not a.done for a in m.actions)}
            for m in meetings
        ])
        return
    table(["date", "kind", "title", "open actions", "id"],
          ([m.date, m.kind, m.title, sum(not a.done for a in m.actions), m.id] for m in meetings),
          right=["open actions"])


@meeting.command("show")
@click.argument("meeting_id", metavar="ID")
@_pair_option
@_json_option
def meeting_show(meeting_id: str, pair: str | None, as_json: bool) -> None:
    """Show one meeting with participants by partner, agenda, minutes, decisions and actions."""
    from regiotwin.records import find, participant_partner
    from regiotwin.terminal import echo, print_json

    _, loaded, ship = _load_selected(pair)
    m = find(loaded.meetings, meeting_id, "meeting").model
    if as_json:
        print_json(m.model_dump(mode="json"))
        return
    when = f"{m.date}" + (f" {m.time}" if m.time else "")
    lines = [m.title, f"date:      {when}", f"kind:      {m.kind}"]
    if m.location:
        lines.append(f"location:  {m.location}")
    if m.participants:
        lines += ["", "participants:"]
        names = {p.id: p.name for p in ship.partners}
        for person in m.participants:
            partner = participant_partner(ship, person)
            lines.append(f"  - {person}" + (f" ({names[partner]})" if partner else " (guest)"))
    for heading, items in (("agenda", m.agenda), ("decisions", m.decisions)):
        if items:
            lines += ["", f"{heading}:"] + [f"  {i}. {item}" for i, item in enumerate(items, 1)]
    if m.minutes:
        lines += ["", "minutes:"] + [f"  {line}" for line in m.minutes.splitlines()]
    if m.actions:
        lines += ["", "action items:"]
        for i, action in enumerate(m.actions, 1):
            mark = "x" if action.done else " "
            extra = ", ".join(x for x in (
                f"owner {action.owner}" if action.owner else "",
                f"due {action.due}" if action.due else "") if x)
            lines.append(f"  {i}. [{mark}] {action.what}" + (f" ({extra})" if extra else ""))
    for line in lines:
        echo(line)


@meeting.command("done")
@click.argument("meeting_id", metavar="ID")
@click.argument("number", type=int, metavar="N")
@click.option("--undo", is_flag=True, help="Mark the item open again.")
@_pair_option
def meeting_done(meeting_id: str, number: int, undo: bool, pair: str | None) -> None:
    """Mark action item N of meeting ID as done (numbers as in `meeting show`)."""
    from regiotwin.records import set_action_done
    from regiotwin.terminal import echo

    workspace, loaded, _ = _load_selected(pair)
    record = set_action_done(workspace.root, loaded, meeting_id, number, not undo)
    state = "open" if undo else "done"
    echo(f"{meeting_id}: action item {number} ({record.actions[number - 1].what}) is {state}")


# --- work plan --------------------------------------------------------------------------------

MEASURE_STATUSES = ("planned", "in-progress", "done", "dropped")


class AmountType(click.ParamType):
    name = "AMOUNT"

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        from regiotwin.money import AmountError, parse_amount

        try:
            return parse_amount(str(value))
        except AmountError as exc:
            raise BadValue(str(exc), ctx, param) from None


AMOUNT = AmountType()


@cli.group()
def measure() -> None:
    """The work plan (Arbeitsplan): measures, their owners, dates and status."""


@measure.command("add")
@click.option("--title", required=True, help="What the measure is.")
@click.option("--owner", "owners", multiple=True, required=True, metavar="PARTNER",
              help="Responsible partner, id or name (repeatable).")
@click.option("--description", help="Longer description.")
@click.option("--start", type=DATE, help="Planned start.")
@click.option("--due", type=DATE, help="Planned completion.")
@click.option("--planned-cost", type=AMOUNT, help="Planned cost in EUR, e.g. 450 or 450,00.")
@click.option("--needs-decision", is_flag=True, help="Needs a council decision (Beschluss).")
@click.option("--id", "record_id", metavar="ID", help="Id (default: made from the title).")
@_pair_option
def measure_add(
    title: str, owners: tuple[str, ...], description: str | None, start: dt.date | None,
    due: dt.date | None, planned_cost: Any, needs_decision: bool, record_id: str | None,
    pair: str | None,
) -> None:
    """Add a measure to the work plan: measures/<id>.yaml. Prints the path written."""
    from regiotwin.records import new_measure, save_new
    from regiotwin.terminal import echo

    workspace, loaded, ship = _load_selected(pair)
    record = new_measure(
        loaded, ship, title=title, owners=list(owners), description=description, start=start,
        due=due, planned_cost=planned_cost, needs_decision=needs_decision, record_id=record_id,
    )
    echo(_rel(workspace, save_new(workspace.root, loaded, "measures", record)))


@measure.command("list")
@click.option("--status", type=ChoiceOne(MEASURE_STATUSES), help="Only measures in this status.")
@_pair_option
@_json_option
def measure_list(status: str | None, pair: str | None, as_json: bool) -> None:
    """List the work plan."""
    from regiotwin.terminal import print_json, table

    _, loaded, _ = _load_selected(pair)
    measures = sorted((m.model for m in loaded.measures),
                      key=lambda m: (m.due or dt.date.max, m.id))
    if status:
        measures = [m for m in measures if m.status == status]
    if as_json:
        print_json([m.model_dump(mode="json") for m in measures])
        return
    table(["id", "title", "owners", "status", "due", "planned cost", "decision"],
          ([m.id, m.title, ", ".join(m.owners), m.status, m.due, m.planned_cost,
            "needed" if m.needs_decision else ""] for m in measures),
          right=["planned cost"])


@measure.command("set")
@click.argument("measure_id", metavar="ID")
@click.option("--status", type=ChoiceOne(MEASURE_STATUSES), help="New status.")
@click.option("--title", help="New title (the id stays).")
@click.option("--start", type=DATE, help="New start date.")
@click.option("--due", type=DATE, help="New due date.")
@click.option("--planned-cost", type=AMOUNT, help="New planned cost.")
@click.option("--needs-decision/--no-needs-decision", default=None,
              help="Whether a council decision is needed.")
@click.option("--result", help="What came out of it (for the final report).")
@_pair_option
def measure_set(
    measure_id: str, status: str | None, title: str | None, start: dt.date | None,
    due: dt.date | None, planned_cost: Any, needs_decision: bool | None, result: str | None,
    pair: str | None,
) -> None:
    """Change a measure's status, dates or other fields."""
    from regiotwin.errors import UsageError
    from regiotwin.records import update_measure
    from regiotwin.terminal import echo

    changes = {k: v for k, v in {
        "status": status, "title": title, "start": start, "due": due,
        "planned_cost": planned_cost, "needs_decision": needs_decision, "result": result,
    }.items() if v is not None}
    if not changes:
        raise UsageError("nothing to change; give --status, --due, --start, --title, "
                         "--planned-cost, --needs-decision or --result")
    workspace, loaded, _ = _load_selected(pair)
    record = update_measure(workspace.root, loaded, measure_id, changes)
    echo(f"{record.id}: " + ", ".join(f"{k} = {v}" for k, v in changes.items()))


# --- council decisions ------------------------------------------------------------------------

DECISION_STATUSES = ("pending", "passed", "rejected")


@cli.group()
def decision() -> None:
    """Council decisions (Beschlüsse) and the measures they enable."""


@decision.command("add")
@click.option("--partner", required=True, metavar="PARTNER", help="Whose council decides.")
@click.option("--body", required=True, help="The deciding body, e.g. Kreistag.")
@click.option("--date", required=True, type=DATE, help="Date of the session.")
@click.option("--title", required=True, help="Subject of the decision.")
@click.option("--number", help="Reference number, e.g. 5-2786/16-III.")
@click.option("--status", type=ChoiceOne(DECISION_STATUSES), default="pending",
              show_default=True)
@click.option("--measure", "measures", multiple=True, metavar="ID",
              help="A measure this decision enables (repeatable).")
@_pair_option
def decision_add(
    partner: str, body: str, date: dt.date, title: str, number: str | None, status: str,
    measures: tuple[str, ...], pair: str | None,
) -> None:
    """Record a council decision: decisions/<date>-<slug>.yaml. Prints the path written."""
    from regiotwin.records import new_decision, save_new
    from regiotwin.terminal import echo

    workspace, loaded, ship = _load_selected(pair)
    record = new_decision(loaded, ship, partner=partner, body=body, date=date, title=title,
                          number=number, status=status, measures=list(measures))
    echo(_rel(workspace, save_new(workspace.root, loaded, "decisions", record)))


@decision.command("list")
@_pair_option
@_json_option
def decision_list(pair: str | None, as_json: bool) -> None:
    """List the pair's council decisions."""
    from regiotwin.terminal import print_json, table

    _, loaded, _ = _load_selected(pair)
    items = sorted((d.model for d in loaded.decisions), key=lambda d: (d.date, d.id))
    if as_json:
        print_json([d.model_dump(mode="json") for d in items])
        return
    table(["date", "body", "number", "title", "status", "partner", "measures"],
          ([d.date, d.body, d.number, d.title, d.status, d.partner, ", ".join(d.measures)]
           for d in items))


# --- programme events -------------------------------------------------------------------------

EVENT_KINDS = ("network-event", "workshop", "conference", "other")


@cli.group()
def event() -> None:
    """Programme-wide events (the networking events); they count as meetings for their pairs."""


@event.command("add")
@click.option("--date", required=True, type=DATE, help="Day of the event.")
@click.option("--title", required=True, help="Title of the event.")
@click.option("--kind", type=ChoiceOne(EVENT_KINDS), default="network-event", show_default=True)
@click.option("--location", help="Place.")
@click.option("--pair", "-p", "pairs", multiple=True, metavar="ID",
              help="A pair that attended (repeatable; default: the pair you are in, else all).")
def event_add(
    date: dt.date, title: str, kind: str, location: str | None, pairs: tuple[str, ...]
) -> None:
    """Record a programme event: events/<date>-<slug>.yaml. Prints the path written."""
    from regiotwin.records import new_event
    from regiotwin.store import write_new
    from regiotwin.terminal import echo

    workspace = _state().workspace()
    attended = list(pairs) or _choose_pairs(None)
    plan = new_event(workspace.root, workspace.pair_ids(), date=date, title=title, kind=kind,
                     location=location, pairs=attended)
    write_new(plan.path, plan.event, workspace.root)
    echo(_rel(workspace, plan.path))


@event.command("list")
@_json_option
def event_list(as_json: bool) -> None:
    """List the programme events and the pairs that attended."""
    from regiotwin.terminal import print_json, table

    workspace = _state().workspace()
    repo, _ = workspace.load()
    items = sorted((e.model for e in repo.events), key=lambda e: (e.date, e.id))
    if as_json:
        print_json([e.model_dump(mode="json") for e in items])
        return
    table(["date", "kind", "title", "location", "pairs"],
          ([e.date, e.kind, e.title, e.location, ", ".join(e.pairs)] for e in items))


# --- expenses and budget ----------------------------------------------------------------------

CATEGORIES = ("project", "travel")


@cli.group()
def expense() -> None:
    """Project and travel costs, booked against each partner's grant cap."""


@expense.command("add")
@click.option("--partner", required=True, metavar="PARTNER", help="Who paid: partner id or name.")
@click.option("--date", required=True, type=DATE, help="Date of the expense.")
@click.option("--amount", required=True, type=AMOUNT,
              help="Amount in EUR: 1400, 1400,50, 1.400,50 or 1400.50 (not 1.400).")
@click.option("--category", required=True, type=ChoiceOne(CATEGORIES), help="Cost category.")
@click.option("--description", required=True, help="What it was for (the purpose).")
@click.option("--payee", help="Who was paid.")
@click.option("--receipt", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Scanned receipt; copied into the pair's receipts/ with its SHA-256.")
@click.option("--meeting", metavar="ID", help="The meeting it belongs to.")
@click.option("--measure", metavar="ID", help="The measure it belongs to.")
@click.option("--over-cap", is_flag=True,
              help="Record it even past the cap; the excess is the commune's own money.")
@_pair_option
def expense_add(
    partner: str, date: dt.date, amount: Any, category: str, description: str,
    payee: str | None, receipt: Path | None, meeting: str | None, measure: str | None,
    over_cap: bool, pair: str | None,
) -> None:
    """Book an expense: expenses/<date>-<partner>-<slug>.yaml.

    Refused when it is outside the partnership period or would take the partner past its
    grant cap (unless --over-cap). Prints the path and the partner's remaining budget.
    """
    from regiotwin.expenses import book_expense
    from regiotwin.money import format_eur
    from regiotwin.terminal import echo

    workspace = _state().workspace()
    pair_id = _choose_pair(pair)
    booked = book_expense(
        workspace.root, workspace.programme(), pair_id, partner=partner, date=date,
        amount=amount, category=category, description=description, payee=payee,
        receipt=receipt, meeting=meeting, measure=measure, over_cap=over_cap,
    )
    echo(_rel(workspace, booked.path))
    left = booked.remaining
    echo(f"{booked.expense.partner}: spent {format_eur(booked.spent)} of {format_eur(booked.cap)}"
         + (f", remaining {format_eur(left)}" if left >= 0
            else f", {format_eur(-left)} over the cap (own funds)"))


@expense.command("list")
@click.option("--partner", metavar="PARTNER", help="Only this partner's expenses.")
@click.option("--category", type=ChoiceOne(CATEGORIES), help="Only this category.")
@_pair_option
@_json_option
def expense_list(partner: str | None, category: str | None, pair: str | None,
                 as_json: bool) -> None:
    """List expenses by partner and category, in date order."""
    from regiotwin.expenses import expense_rows
    from regiotwin.money import format_eur
    from regiotwin.terminal import print_json, table

    workspace = _state().workspace()
    repo = _load_valid(workspace)
    rows = expense_rows(repo, _choose_pairs(pair), partner, category)
    if as_json:
        print_json(rows)
        return
    table(["no", "date", "partner", "category", "amount", "payee", "description", "receipt",
           "id"],
          ([r["number"], r["date"], r["partner"], r["category"],
            format_eur(r["amount"]) + (" *" if r["over_cap"] else ""), r["payee"],
            r["description"], r["receipt"], r["id"]] for r in rows),
          right=["no", "amount"])


def _load_valid(workspace: Workspace) -> Any:
    """The whole repository; invalid files stop overview commands with their findings."""
    from regiotwin.errors import DataError

    repo, findings = workspace.load()
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise DataError("the repository has invalid files; fix them first "
                        "(run `regiotwin check`)", errors)
    return repo


@cli.group()
def budget() -> None:
    """Spending against the grant caps."""


@budget.command("status")
@click.option("--as-of", type=DATE, help="Count expenses up to this date (default: all).")
@_pair_option
@_json_option
def budget_status(as_of: dt.date | None, pair: str | None, as_json: bool) -> None:
    """Per partner: cap, spent by category, grant, own funds, remaining, % used."""
    from regiotwin.budget import pair_budget
    from regiotwin.money import format_eur
    from regiotwin.terminal import print_json, table

    workspace = _state().workspace()
    programme = workspace.programme()
    budgets = []
    for loaded, ship in workspace.load_pairs(_choose_pairs(pair), kinds=("expenses",)):
        budgets.append(pair_budget(programme, ship, (e.model for e in loaded.expenses), as_of))
    if as_json:
        print_json({"as_of": as_of, "pairs": [b.as_json() for b in budgets]})
        return
    for b in budgets:
        rows: list[list[Any]] = [
            [p.name, format_eur(p.cap), format_eur(p.spent_on("project")),
             format_eur(p.spent_on("travel")), format_eur(p.total),
             format_eur(p.grant), format_eur(p.own_funds), format_eur(p.remaining),
             f"{p.percent_used} %".replace(".", ","), p.flag]
            for p in b.partners
        ]
        rows.append(["Summe", format_eur(b.sum("cap")), format_eur(b.category("project")),
                     format_eur(b.category("travel")), format_eur(b.sum("total")),
                     format_eur(b.sum("grant")), format_eur(b.sum("own_funds")),
                     format_eur(b.sum("remaining")), "", ""])
        money = ["cap", "project", "travel", "total", "grant", "own funds", "remaining", "used"]
        table(["partner", *money, ""], rows, title=f"{b.title} ({b.pair_id})", right=money)


@cli.group()
def export() -> None:
    """Export data for other programs."""


@export.command("expenses")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write to FILE instead of standard output.")
@click.option("--format", "fmt", type=ChoiceOne(("excel", "rfc4180")), default="excel",
              show_default=True,
              help="excel: UTF-8 with BOM, ';', 1234,56 and TT.MM.JJJJ for a German Excel; "
                   "rfc4180: plain CSV with ',', 1234.56 and ISO dates.")
@_pair_option
def export_expenses(output: Path | None, fmt: str, pair: str | None) -> None:
    """The receipts list (Belegliste): every expense, by partner and category, in date order."""
    from regiotwin.expenses import belegliste, expense_rows
    from regiotwin.terminal import note
    from regiotwin.yamlio import write_atomic

    workspace = _state().workspace()
    text = belegliste(expense_rows(_load_valid(workspace), _choose_pairs(pair)), fmt)
    if output is None:
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
        return
    write_atomic(output.resolve(), text, new=False, newline="")
    note(f"wrote {output}")


# --- reports, calendar, overview ---------------------------------------------------------------

REPORT_KINDS = ("minutes", "status", "budget", "final", "council")


@cli.group()
def report() -> None:
    """German documents rendered from Jinja templates (Markdown)."""


@report.command("render")
@click.argument("kind", type=ChoiceOne(REPORT_KINDS), metavar="KIND")
@click.option("--meeting", "meeting_id", metavar="ID", help="The meeting (for `minutes`).")
@click.option("--partner", metavar="PARTNER",
              help="Whose council the paper is for (for `council`; default: the first partner).")
@click.option("--as-of", type=DATE, help="Report date (default: today; `final`: the year's end).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write to FILE (atomically) instead of standard output.")
@click.option("--template", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Use this template instead of the built-in or the repository's one.")
@_pair_option
def report_render(
    kind: str, meeting_id: str | None, partner: str | None, as_of: dt.date | None,
    output: Path | None, template: Path | None, pair: str | None,
) -> None:
    """Render KIND: minutes, status, budget, final or council.

    Templates: --template FILE, else <root>/templates/KIND.md.j2, else the built-in one.
    """
    from regiotwin.context import report_context
    from regiotwin.reports import render, template_for
    from regiotwin.terminal import note
    from regiotwin.yamlio import write_atomic

    workspace = _state().workspace()
    pair_id = _choose_pair(pair)
    repo = _load_valid(workspace)
    context = report_context(kind, repo, repo.pairs[pair_id], as_of or dt.date.today(),
                             meeting_id, partner)
    text = render(workspace.root, template_for(workspace.root, kind, template), context)
    if output is None:
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
        return
    write_atomic(output.resolve(), text, new=False)
    note(f"wrote {output}")


@report.command("list")
def report_list() -> None:
    """The report kinds and where each template comes from."""
    from regiotwin.reports import KINDS, list_templates
    from regiotwin.terminal import table

    workspace = _state().workspace()
    table(["kind", "document", "template", "from"],
          ([s.kind, KINDS[s.kind], _shown_path(workspace, s.path), s.origin]
           for s in list_templates(workspace.root)))


def _shown_path(workspace: Workspace, path: Path) -> str:
    try:
        return path.relative_to(workspace.root).as_posix()
    except ValueError:
        return str(path)


@export.command("calendar")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write to FILE instead of standard output.")
@_pair_option
def export_calendar(output: Path | None, pair: str | None) -> None:
    """iCalendar (.ics) of meetings, work-plan due dates and action items."""
    from regiotwin.ical import calendar_bytes
    from regiotwin.terminal import note
    from regiotwin.yamlio import write_atomic

    workspace = _state().workspace()
    data = calendar_bytes(_load_valid(workspace), _choose_pairs(pair))
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    write_atomic(output.resolve(), data.decode("utf-8"), new=False, newline="")
    note(f"wrote {output}")


@cli.command()
@click.option("--as-of", type=DATE, help="Judge as of this date (default: today).")
@_pair_option
@_json_option
def status(as_of: dt.date | None, pair: str | None, as_json: bool) -> None:
    """The consultant's overview: one row per pair."""
    from regiotwin.overview import overview
    from regiotwin.terminal import print_json, table

    workspace = _state().workspace()
    rows = overview(_load_valid(workspace), _choose_pairs(pair), as_of or dt.date.today())
    if as_json:
        print_json(rows)
        return
    table(["pair", "period", "elapsed", "meetings", "last meeting", "days since",
           "budget used", "open actions", "overdue", "unmet obligations"],
          ([r["pair"], f"{r['start']} to {r['end']}", f"{r['elapsed_percent']} %",
            r["meetings_held"], r["last_meeting"] or "-",
            "-" if r["days_since_last_meeting"] is None else r["days_since_last_meeting"],
            ", ".join(f"{p['partner']} {p['percent_used']} %" for p in r["budget"]),
            r["open_actions"], r["overdue_actions"], r["unmet_obligations"]] for r in rows),
          right=["meetings", "days since", "open actions", "overdue", "unmet obligations"])


# --- check ------------------------------------------------------------------------------------


@cli.command()
@click.option("--strict", is_flag=True, help="Warnings fail too (exit 1).")
@click.option("--as-of", type=DATE, help="Judge the obligations as of this date (default: today).")
@_pair_option
@_json_option
def check(strict: bool, as_of: dt.date | None, pair: str | None, as_json: bool) -> None:
    """Validate every file: each finding as path:line: error|warning: message.

    Exit 1 when there is an error (or, with --strict, a warning).
    """
    from regiotwin.checks import run_check
    from regiotwin.terminal import echo, note, print_json

    workspace = _state().workspace()
    report = run_check(workspace.root, _choose_pairs(pair), as_of or dt.date.today())
    if as_json:
        print_json(report.as_json())
    else:
        for finding in report.findings:
            echo(str(finding))
        note(report.summary())
    if report.errors or (strict and report.warnings):
        sys.exit(1)


def main() -> None:
    cli(prog_name="regiotwin")
