"""Rendering the German documents the partners send, from Jinja templates.

One environment builds every report: sandboxed (templates may come from a data repository),
StrictUndefined (a typo is an error, not an empty line), with the filters the documents need.
"""

from __future__ import annotations

import datetime as dt
import re
import traceback
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from regiotwin.errors import Finding, RefusedError
from regiotwin.money import format_eur

KINDS = {
    "minutes": "Protokoll einer Sitzung (--meeting ID)",
    "status": "Sachstandsbericht für das RegioTwin-Team",
    "budget": "zahlenmäßiger Nachweis mit Belegliste",
    "final": "Abschlussbericht über das ganze Jahr",
    "council": "Informationsvorlage für den Kreistag / Rat",
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


def md_block(value: Any) -> str:
    """User Markdown (minutes) kept as Markdown, with HTML made inert."""
    if value is None:
        return ""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").rstrip()


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


FILTERS = {"text": md_text, "block": md_block, "mermaid": mermaid_text, "de_date": de_date,
           "eur": eur, "num": de_number}


def environment(search_path: list[Path]) -> jinja2.Environment:
    """The one Jinja environment: sandboxed, strict, with the report filters."""
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader([str(p) for p in search_path]),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    return env


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
            raise RefusedError(f"--template: {override} does not exist")
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


def render(root: Path, source: TemplateSource, context: dict[str, Any]) -> str:
    """Render one template; any template problem becomes a located RefusedError (exit 1)."""
    search = [source.path.parent, root / TEMPLATES_DIR, builtin_dir()]
    env = environment([p for p in search if p.is_dir()])
    shown = _display(root, source.path)
    try:
        template = env.get_template(source.path.name)
        return template.render(**context)
    except jinja2.TemplateSyntaxError as exc:
        where = _display(root, Path(exc.filename)) if exc.filename else shown
        raise _template_error(where, exc.lineno or 1, exc.message or str(exc)) from None
    except jinja2.TemplateNotFound as exc:
        raise _template_error(shown, 1, f"template {exc.name!r} not found") from None
    except jinja2.TemplateError as exc:
        where, line = _template_frame(root, exc) or (shown, 1)
        raise _template_error(where, line, str(exc.message or exc)) from None
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
