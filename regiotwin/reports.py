"""Rendering the German documents the partners send, from Jinja templates.

One environment builds every report: sandboxed (templates may come from a data repository),
StrictUndefined (a typo is an error, not an empty line), with the filters the documents need.
A template from a data repository is code that arrived with the data, so it reads only files
inside its `templates/` folder (a link leading out is refused, by name), and a render is
bounded in time and in the size of what it makes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import math
import re
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment

from regiotwin import german
from regiotwin.errors import Finding, OptionValueError, RefusedError
from regiotwin.money import format_eur

KINDS = {
    "minutes": "Protokoll einer Sitzung (--meeting ID)",
    "status": "Sachstandsbericht für das RegioTwin-Team",
    "budget": "zahlenmäßiger Nachweis mit Belegliste",
    "final": "Abschlussbericht über das ganze Jahr",
    "council": "Informationsvorlage für den Kreistag / Rat",
    "proof": "Verwendungsnachweis: Sachbericht, SOLL und IST, Belegliste",
}
TEMPLATES_DIR = "templates"


def builtin_dir() -> Path:
    """The built-in templates: inside the installed package, or beside it in a source checkout
    (an editable install runs the package from the repository, whose templates/ sits at the top).
    """
    package = Path(__file__).resolve().parent
    installed = package / TEMPLATES_DIR
    return installed if installed.is_dir() else package.parent / TEMPLATES_DIR


# --- filters ---------------------------------------------------------------------------------

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]|<>#~])")


def md_text(value: Any) -> str:
    """User text inside a Markdown line or table cell: no markup, no HTML, no broken table."""
    if value is None:
        return ""
    text = str(value).replace("&", "&amp;")
    text = _INLINE_SPECIAL.sub(lambda m: {"<": "&lt;", ">": "&gt;"}.get(m[1], "\\" + m[1]), text)
    return "<br>".join(part.strip() for part in text.splitlines()) if "\n" in text else text


def md_block(value: Any, level: int = 0) -> str:
    """User Markdown (minutes, free texts) kept as Markdown, with HTML made inert and its
    headings shifted below the document's section of *level* (a `#` in pasted minutes under
    a `##` section becomes `###`, never a second title)."""
    if value is None:
        return ""
    # HTML first: a `>` made inert opens no block quote, so the headings are found as a
    # Markdown reader will see them
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").rstrip()
    return shift_headings(text, level) if level else text


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+|$)(.*?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_NOT_PARAGRAPH = re.compile(r"^(?: {4}|\t| {0,3}(?:[-*+>]|\d{1,9}[.)])(?:[ \t]|$))")


def shift_headings(text: str, level: int) -> str:
    """Headings of user Markdown moved below a section of *level*: the highest one becomes
    level + 1, the others keep their distance (at most 6). Underlined (setext) headings become
    `#` ones; code blocks are left alone."""
    lines = text.split("\n")
    found: list[tuple[int, int, int, str]] = []  # first line, last line, level, title
    fence = ""
    start = None  # first line of the current paragraph
    for i, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence:
            if opening and opening[1][0] == fence[0] and len(opening[1]) >= len(fence):
                fence = ""
            continue
        if opening:
            fence, start = opening[1], None
            continue
        atx = _ATX.match(line)
        if atx:
            found.append((i, i, len(atx[1]), atx[2].strip()))
            start = None
            continue
        setext = _SETEXT.match(line)
        if setext and start is not None:
            title = " ".join(part.strip() for part in lines[start:i])
            found.append((start, i, 1 if setext[1][0] == "=" else 2, title))
            start = None
            continue
        if setext and setext[1][0] == "-":  # a thematic break, no paragraph
            start = None
            continue
        if not line.strip():
            start = None
        elif start is None and not _NOT_PARAGRAPH.match(line):
            start = i
    if not found:
        return text
    shift = max(level + 1 - min(depth for _, _, depth, _ in found), 0)
    for first, last, depth, title in reversed(found):
        heading = "#" * min(depth + shift, 6) + (f" {title}" if title else "")
        lines[first:last + 1] = [heading]
    return "\n".join(lines)


_MERMAID_MAP = str.maketrans({":": "∶", ";": ",", "#": "Nr.", '"': "'", "\n": " ", "\r": " ",
                              "%": " Prozent", "{": "(", "}": ")", "<": "‹", ">": "›",
                              "`": "'", "|": "/"})


def mermaid_text(value: Any) -> str:
    """A label that cannot end a Mermaid statement early or open a comment or a directive."""
    text = str(value).translate(_MERMAID_MAP)
    return " ".join(text.split()) or "-"


def de_date(value: dt.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def eur(value: Decimal | None) -> str:
    return format_eur(value) if value is not None else ""


def de_number(value: Decimal | int | None) -> str:
    if value is None:
        return ""
    return str(value).replace(".", ",")


def signed(value: Decimal | None, unit: str = "") -> str:
    """A deviation with its sign: `+170,30 €`, `−40,3 %` (a true minus sign); '' for none."""
    if value is None:
        return ""
    shown = eur(abs(value)) if unit == "€" else f"{de_number(abs(value))}{unit}"
    return ("+" if value > 0 else "−" if value < 0 else "±") + shown


def tally(kinds: Any) -> str:
    """The kinds of meetings held (context.KindCount), counted: `2 Jours fixes und 1 Workshop`."""
    return german.tally((k.count, k.singular, k.plural) for k in kinds)


FILTERS = {"text": md_text, "block": md_block, "mermaid": mermaid_text, "de_date": de_date,
           "eur": eur, "num": de_number, "signed": signed, "long_date": german.long_date,
           "count": german.count, "agree": german.agree, "quote": german.quoted,
           "paren": german.parenthesized, "und": german.enumeration,
           "cap": german.capitalised, "art": german.with_article, "tally": tally,
           "tense": german.tense}


RENDER_SECONDS = 10.0
RENDER_CHARS = 8 * 1024 * 1024


class RenderLimit(jinja2.TemplateError):
    """A render that ran too long or made too much text."""


class TemplateOutside(jinja2.TemplateError):
    """A template name that leads out of the templates folder through a link."""


def _too_long() -> RenderLimit:
    return RenderLimit(f"the template ran longer than {RENDER_SECONDS:g} s and was stopped; "
                       "does a loop in it never end?")


def _too_much() -> RenderLimit:
    return RenderLimit(f"the template made more than {RENDER_CHARS // (1024 * 1024)} MiB of "
                       "text and was stopped")


class _ContainedLoader(jinja2.BaseLoader):
    """Templates from a list of folders, never from outside them.

    Jinja refuses `..` in a name; this refuses a link (a file or a folder) that leads out of
    its folder, and names it.
    """

    def __init__(self, folders: list[Path]) -> None:
        self.folders = folders

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)
        for folder in self.folders:
            candidate = folder.joinpath(*pieces)
            if not candidate.is_file():
                continue
            real_folder = folder.resolve()
            real = candidate.resolve()
            if not real.is_relative_to(real_folder):
                raise TemplateOutside(_outside_message(folder, real_folder, pieces))
            source = real.read_text(encoding="utf-8")
            return source, str(candidate), lambda: False  # one environment per render
        raise jinja2.TemplateNotFound(template)


def _outside_message(folder: Path, real_folder: Path, pieces: list[str]) -> str:
    """Which link leads out: the first part of the name that resolves outside the folder."""
    for i in range(1, len(pieces) + 1):
        part = folder.joinpath(*pieces[:i])
        if part.is_symlink() and not part.resolve().is_relative_to(real_folder):
            name = f"{folder.name}/{'/'.join(pieces[:i])}"
            return (f"{name} is a link to {part.resolve()}, outside {folder.name}/; "
                    "templates may only use files inside it")
    return f"{'/'.join(pieces)} lies outside {folder.name}/; templates may only use files inside it"


class _BoundedEnvironment(SandboxedEnvironment):
    """The sandbox, plus a deadline checked at every call, attribute and operator, and sizes
    checked before `*`, `**` and any call that is asked for a huge width or count."""

    intercepted_binops = frozenset({"*", "**"})
    deadline = math.inf

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise _too_long()

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        __self.tick()
        _refuse_huge(args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:
        self.tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        self.tick()
        return super().getitem(obj, argument)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        self.tick()
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if (isinstance(seq, (str, list, tuple)) and isinstance(count, int)
                        and len(seq) * count > RENDER_CHARS):
                    raise _too_much()
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > 1000:
            raise RenderLimit(f"an exponent of {right} is more than a report needs")
        return super().call_binop(context, operator, left, right)


def _refuse_huge(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and value > RENDER_CHARS:
            raise _too_much()


def _bounded_filter(env: _BoundedEnvironment, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        env.tick()
        _refuse_huge(args, kwargs)
        return function(*args, **kwargs)

    return bounded


def environment(search_path: list[Path]) -> _BoundedEnvironment:
    """The one Jinja environment: sandboxed, strict, bounded, with the report filters."""
    env = _BoundedEnvironment(
        loader=_ContainedLoader(search_path),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    for name, function in list(env.filters.items()):
        env.filters[name] = _bounded_filter(env, function)
    return env


@contextlib.contextmanager
def _alarm(env: _BoundedEnvironment) -> Iterator[None]:
    """The deadline, also for loops that call nothing (SIGALRM where there is one: POSIX,
    main thread; elsewhere the checks at calls, attributes and operators)."""
    env.deadline = time.monotonic() + RENDER_SECONDS
    armed = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not armed:
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise _too_long()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, RENDER_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- finding the template --------------------------------------------------------------------


@dataclass
class TemplateSource:
    kind: str
    path: Path
    origin: str  # "built-in", "data repository" or "--template"


def template_for(root: Path, kind: str, override: Path | None = None) -> TemplateSource:
    """`--template`, else `<root>/templates/KIND.md.j2`, else the built-in one."""
    name = f"{kind}.md.j2"
    builtin = builtin_dir() / name
    if override is not None:
        if not override.is_file():
            raise OptionValueError("--template", f"{override} does not exist")
        return TemplateSource(kind, override.resolve(), "--template")
    local = root / TEMPLATES_DIR / name
    if local.is_file() and not _same_file(local, builtin):
        return TemplateSource(kind, local, "data repository")
    return TemplateSource(kind, builtin, "built-in")


def _same_file(a: Path, b: Path) -> bool:
    """The project's own repository is also a data repository: its templates/ is the
    built-in set, not an override."""
    try:
        return a.resolve() == b.resolve() or a.read_bytes() == b.read_bytes()
    except OSError:
        return False


def list_templates(root: Path) -> list[TemplateSource]:
    return [template_for(root, kind) for kind in KINDS]


# --- rendering -------------------------------------------------------------------------------


def render(root: Path, source: TemplateSource, context: Mapping[str, Any]) -> str:
    """Render one template; any template problem becomes a located RefusedError (exit 1)."""
    search = [source.path.parent, root / TEMPLATES_DIR, builtin_dir()]
    env = environment([p for p in search if p.is_dir()])
    shown = _display(root, source.path)
    try:
        with _alarm(env):
            template = env.get_template(source.path.name)
            chunks, size = [], 0
            for chunk in template.generate(**context):
                size += len(chunk)
                if size > RENDER_CHARS:
                    raise _too_much()
                chunks.append(chunk)
            return "".join(chunks)
    except (RenderLimit, TemplateOutside) as exc:
        where, line = _template_frame(root, exc) or (shown, 1)
        raise _template_error(where, line, exc.message or str(exc)) from None
    except jinja2.TemplateSyntaxError as exc:
        where = _display(root, Path(exc.filename)) if exc.filename else shown
        raise _template_error(where, exc.lineno or 1, exc.message or str(exc)) from None
    except jinja2.TemplateNotFound as exc:
        raise _template_error(shown, 1, f"template {exc.name!r} not found") from None
    except jinja2.TemplateError as exc:
        where, line = _template_frame(root, exc) or (shown, 1)
        raise _template_error(where, line, str(exc.message or exc)) from None
    except MemoryError:
        raise _template_error(shown, 1, "the template needs more memory than there is") from None
    except Exception as exc:  # a filter got a value it cannot show, a sandbox refusal, …
        where, line = _template_frame(root, exc) or (shown, 1)
        raise _template_error(where, line, f"{type(exc).__name__}: {exc}") from None


def _template_error(path: str, line: int, message: str) -> RefusedError:
    finding = Finding(path, line, "error", message, code="template")
    return RefusedError(f"the template could not be rendered ({path}:{line})", [finding])


def _template_frame(root: Path, exc: BaseException) -> tuple[str, int] | None:
    """The innermost traceback frame inside a template (Jinja rewrites them to .j2 lines)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
    if not frames:
        return None
    return _display(root, Path(frames[-1].filename)), frames[-1].lineno or 1


def _display(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        builtin = builtin_dir()
        try:
            return f"<built-in>/{path.resolve().relative_to(builtin).as_posix()}"
        except ValueError:
            return str(path)


def draft_document(text: str, banner: str) -> str:
    """A draft says so at its very top, whatever template made it (SPEC §3)."""
    return (f"> **{banner}.** Dieser Entwurf ist nicht zur Vorlage oder Unterschrift bestimmt; "
            "`regiotwin check` nennt die Fehler.\n\n" + text)
