"""Setting up: init, partnerships, contact people, and `check`."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from regiotwin.cli.base import (
    CONTACT,
    DATE,
    PARTNER,
    AmountType,
    ChoiceOne,
    VocabularyChoice,
    choose_pair,
    choose_pairs,
    command,
    current_state,
    dry_run_option,
    given,
    group,
    json_option,
    list_format_option,
    nothing_to_change,
    pair_option,
    show_outcome,
    unset_fields,
    unset_option,
)
from regiotwin.vocabulary import PARTNER_KIND, ROLE

# --- init -------------------------------------------------------------------------------------


# The CI systems `init --ci` writes a pipeline for (regiotwin.scaffold.CI_SYSTEMS; a test keeps
# them equal, so that --help needs no pydantic).
CI_SYSTEMS = ("github", "gitlab")


@command()
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option("--ci", type=ChoiceOne(CI_SYSTEMS),
              help="Also write a pipeline that checks every push and keeps the documents: "
              ".github/workflows/regiotwin.yml or .gitlab-ci.yml.")
@click.option("--pre-commit", "pre_commit", is_flag=True,
              help="Also write .pre-commit-config.yaml (check and fmt before every commit).")
@click.option("--editor", is_flag=True,
              help="Add the JSON Schemas and VS Code settings to an existing repository "
              "(a new one always gets them).")
def init(directory: str, ci: str | None, pre_commit: bool, editor: bool) -> None:
    """Create a data repository in DIRECTORY (default: here), or add files to one.

    Writes regiotwin.yaml with the programme defaults (RegioTwin, IdE, BMUB, Projektträger
    Jülich, EUR, grant cap 1,400.00 per municipality, funding rate 100 %), partnerships/,
    .gitattributes, .gitignore, the JSON Schemas of the record files (.regiotwin/schemas/) and
    VS Code settings that apply them (.vscode/). Refuses to run over an existing regiotwin.yaml,
    unless --ci, --pre-commit or --editor asks for files to add; an existing file is never
    overwritten.
    """
    from regiotwin.loader import CONFIG_NAME
    from regiotwin.scaffold import PIPELINES, PRE_COMMIT_CONFIG, install_source, set_up
    from regiotwin.schema import SCHEMA_DIR
    from regiotwin.terminal import note

    target = Path(directory)
    placed = set_up(target, ci=ci, pre_commit=pre_commit, editor=editor)
    schemas = [p for p in placed if p.path.parent == target / SCHEMA_DIR]
    one_line = len({p.created for p in schemas}) == 1  # all created or all kept
    for p in placed:
        if one_line and p in schemas:
            if p is schemas[0]:
                note(f"created {target / SCHEMA_DIR} ({len(schemas)} JSON Schemas)" if p.created
                     else f"kept {target / SCHEMA_DIR} (`regiotwin schema` updates it)")
            continue
        note(f"created {p.path}" if p.created else f"kept {p.path} (it exists)")
        if p.hint:
            note(f"  {p.hint}")
    created = {p.path for p in placed if p.created}
    if target / CONFIG_NAME in created:
        note("next: regiotwin partnership new --partner NAME --partner NAME --topic TEXT "
             "--start DATE")
    if target / PRE_COMMIT_CONFIG in created:
        note("next: pre-commit install (https://pre-commit.com), then every commit is checked")
    if ci and target / PIPELINES[ci] in created:
        source = install_source()
        if source.spec is None:
            note(f"next: fill in REGIOTWIN at the top of {PIPELINES[ci]}, where CI installs "
                 f"regiotwin from ({source.origin}); then commit and push it")
        else:
            note(f"next: commit and push {PIPELINES[ci]}; it installs {source.spec}, from "
                 f"{source.origin} (REGIOTWIN in the file)")


# --- partnership ------------------------------------------------------------------------------


@group()
def partnership() -> None:
    """Create, list, show and change twinning pairs."""


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

    workspace = current_state().workspace()
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
@list_format_option
def partnership_list(fmt: str) -> None:
    """List the pairs of this repository."""
    from regiotwin.partnerships import pair_summaries
    from regiotwin.terminal import Column, show_rows

    rows = pair_summaries(current_state().workspace())
    shown = [{**r, "partners": " / ".join(p["name"] for p in r["partners"]),
              "title": r["title"] if r["valid"] else "(invalid files: run `regiotwin check`)"}
             for r in rows]
    show_rows(fmt, shown, [Column("id", kind="id"), Column("title"), Column("topic"),
                           Column("start", kind="date"), Column("end", kind="date"),
                           Column("partners")], as_json=rows)


@partnership.command("show")
@pair_option
@json_option
def partnership_show(pair: str | None, as_json: bool) -> None:
    """Show one pair: period, consultant, partners and their contact people."""
    from regiotwin.models import dump
    from regiotwin.money import format_eur
    from regiotwin.terminal import echo, print_json

    workspace = current_state().workspace()
    _, ship = workspace.load_pair(choose_pair(pair))
    if as_json:
        print_json(dump(ship, mode="json"))
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


# `--unset` names and the fields they remove
PAIR_FIELDS = {"notes": "notes", "agreement": "agreement", "agreement-signed": "agreement.signed",
               "agreement-reference": "agreement.reference", "consultant": "consultant",
               "consultant-organisation": "consultant.organisation",
               "consultant-email": "consultant.email"}
PAIR_UNSET = tuple(PAIR_FIELDS)
PARTNER_UNSET = ("kind", "role", "grant-cap", "receipt-prefix", "travel-law")


@partnership.command("set")
@click.option("--title", help="New title.")
@click.option("--topic", help="The climate-protection field.")
@click.option("--start", type=DATE, help="First day (the end follows unless --end is given or "
                                          "it was set apart from the one-year default).")
@click.option("--end", type=DATE, help="Last day.")
@click.option("--agreement-signed", type=DATE, metavar="DATE",
              help="Day the cooperation agreement was signed.")
@click.option("--agreement-reference", metavar="TEXT", help="Reference of the agreement.")
@click.option("--consultant", metavar="NAME", help="The RegioTwin consultant's name.")
@click.option("--consultant-organisation", metavar="TEXT", help="The consultant's organisation.")
@click.option("--consultant-email", metavar="EMAIL", help="The consultant's e-mail address.")
@click.option("--notes", help="Notes on the pair.")
@click.option("--partner", type=PARTNER,
              help="The partner that --name, --kind, --role, --grant-cap, --receipt-prefix, "
                   "--travel-law and --unset-partner change (id or name).")
@click.option("--name", help="The partner's new name (its id stays).")
@click.option("--kind", type=VocabularyChoice(PARTNER_KIND), help="Kind of body.")
@click.option("--role", type=VocabularyChoice(ROLE),
              help="advisor or implementer; the other partner takes the other role.")
@click.option("--grant-cap", type=AmountType(zero_ok=True), metavar="AMOUNT",
              help="The partner's own grant cap (refused when its booked expenses pass it).")
@click.option("--receipt-prefix", metavar="TEXT",
              help="Prefix of its Belegnummern (only before its first expense).")
@click.option("--travel-law", metavar="LAW", help="The travel-cost law its staff travel under.")
@unset_option(PAIR_UNSET)
@click.option("--unset-partner", "unset_partner", multiple=True, type=ChoiceOne(PARTNER_UNSET),
              metavar="FIELD",
              help=f"Remove a value of --partner (repeatable): {', '.join(PARTNER_UNSET)}.")
@dry_run_option
@pair_option
def partnership_set(
    title: str | None, topic: str | None, start: dt.date | None, end: dt.date | None,
    agreement_signed: dt.date | None, agreement_reference: str | None, consultant: str | None,
    consultant_organisation: str | None, consultant_email: str | None, notes: str | None,
    partner: str | None, name: str | None, kind: str | None, role: str | None,
    grant_cap: object, receipt_prefix: str | None, travel_law: str | None,
    unset: tuple[str, ...], unset_partner: tuple[str, ...], dry_run: bool, pair: str | None,
) -> None:
    """Change the pair's settings: title, topic, period, the agreement, the consultant, and
    (with --partner) a partner's name, kind, role, grant cap, receipt prefix and travel law.

    Refused when it would make the data invalid: expenses outside a new period, a cap that
    the partner's booked expenses pass, a new receipt prefix after the first Belegnummer.
    """
    from regiotwin.errors import UsageError
    from regiotwin.partnerships import set_partnership
    from regiotwin.records import Changes

    values = given(**{
        "title": title, "topic": topic, "start": start, "end": end, "notes": notes,
        "agreement.signed": agreement_signed, "agreement.reference": agreement_reference,
        "consultant.name": consultant, "consultant.organisation": consultant_organisation,
        "consultant.email": consultant_email})
    partner_values = given(name=name, kind=kind, role=role, grant_cap=grant_cap,
                           receipt_prefix=receipt_prefix, travel_law=travel_law)
    if (partner_values or unset_partner) and partner is None:
        raise UsageError("--partner is needed: say which partner to change")
    changes = Changes(values, {PAIR_FIELDS[name] for name in unset})
    partner_changes = Changes(partner_values, unset_fields(unset_partner))
    if not changes and not partner_changes:
        raise nothing_to_change("an option such as --end, --agreement-signed, --consultant, or "
                                "--partner with --role, --grant-cap, …")
    workspace = current_state().workspace()
    outcome = set_partnership(workspace.root, workspace.programme(), choose_pair(pair), changes,
                              partner=partner, partner_changes=partner_changes,
                              dry_run=dry_run)
    show_outcome(outcome.edits, outcome.warnings, dry_run)


# --- contact ----------------------------------------------------------------------------------


@group()
def contact() -> None:
    """Contact people of the partners (every partner needs at least one)."""


@contact.command("add")
@click.option("--partner", required=True, type=PARTNER, help="Partner id or exact name.")
@click.option("--name", required=True, help="The contact's full name.")
@click.option("--function", help="Role, e.g. Klimaschutzmanagerin.")
@click.option("--email", help="E-mail address.")
@click.option("--phone", help="Phone number.")
@pair_option
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

    workspace = current_state().workspace()
    pair_id = choose_pair(pair)
    workspace.load_pair(pair_id)
    new = build(
        Contact, {"name": name, "function": function, "email": email, "phone": phone}, "contact"
    )
    ship = add_contact(workspace.root, pair_id, partner, new)
    target = ship.partner(partner)
    assert target is not None
    echo(f"added {new.name} to {target.id} in partnerships/{pair_id}/partnership.yaml")


# --- check ------------------------------------------------------------------------------------


@command()
@click.option("--strict", is_flag=True, help="Warnings fail too (exit 1).")
@click.option("--as-of", type=DATE, help="Judge the obligations as of this date (default: today).")
@pair_option
@json_option
def check(strict: bool, as_of: dt.date | None, pair: str | None, as_json: bool) -> None:
    """Validate every file: each finding as path:line: error|warning: message.

    Exit 1 when there is an error (or, with --strict, a warning).
    """
    from regiotwin.checks import run_check
    from regiotwin.terminal import echo_lines, note, print_json

    workspace = current_state().workspace()
    report = run_check(workspace.root, choose_pairs(pair), as_of or dt.date.today())
    if as_json:
        print_json(report.as_json())
    else:
        echo_lines(str(finding) for finding in report.findings)
        note(report.summary())
    if report.errors or (strict and report.warnings):
        sys.exit(1)




@contact.command("list")
@click.option("--partner", type=PARTNER, help="Only this partner's contacts.")
@pair_option
@list_format_option
def contact_list(partner: str | None, pair: str | None, fmt: str) -> None:
    """List the partners' contact people."""
    from regiotwin.partnerships import contact_rows
    from regiotwin.terminal import Column, show_rows

    _, ship = current_state().workspace().load_pair(choose_pair(pair), kinds=())
    show_rows(fmt, contact_rows(ship, partner),
              [Column("partner", kind="id"), Column("name"), Column("function"),
               Column("email", kind="id"), Column("phone", kind="label")])


@contact.command("set")
@click.argument("contact_name", type=CONTACT)
@click.option("--partner", type=PARTNER, help="Whose contact (when both have one of the "
                                                   "name).")
@click.option("--name", help="New name; meetings that name the contact follow.")
@click.option("--function", help="Role, e.g. Klimaschutzmanagerin.")
@click.option("--email", help="E-mail address.")
@click.option("--phone", help="Phone number.")
@unset_option(("function", "email", "phone"))
@dry_run_option
@pair_option
def contact_set(
    contact_name: str, partner: str | None, name: str | None, function: str | None,
    email: str | None, phone: str | None, unset: tuple[str, ...], dry_run: bool,
    pair: str | None,
) -> None:
    """Change a contact person (found by name, in any case or spelling of umlauts).

    A new name is carried into the meetings that list the contact as a participant or an
    action item's owner, each file rewritten with its comments.
    """
    from regiotwin.partnerships import set_contact
    from regiotwin.records import Changes

    changes = Changes(given(name=name, function=function, email=email, phone=phone),
                      unset_fields(unset))
    if not changes:
        raise nothing_to_change("--name, --function, --email, --phone or --unset")
    workspace = current_state().workspace()
    outcome = set_contact(workspace.root, choose_pair(pair), contact_name, changes,
                          partner=partner, dry_run=dry_run)
    show_outcome(outcome.edits, outcome.warnings, dry_run)


@contact.command("remove")
@click.argument("contact_name", type=CONTACT)
@click.option("--partner", type=PARTNER, help="Whose contact.")
@dry_run_option
@pair_option
def contact_remove(contact_name: str, partner: str | None, dry_run: bool,
                   pair: str | None) -> None:
    """Remove a contact person; refused while action items name them as owner (meetings they
    took part in keep their name)."""
    from regiotwin.partnerships import remove_contact

    workspace = current_state().workspace()
    outcome = remove_contact(workspace.root, choose_pair(pair), contact_name, partner=partner,
                             dry_run=dry_run)
    show_outcome(outcome.edits, outcome.warnings, dry_run)
