"""The command line: each command parses its options, calls one core function, prints.

The commands live in modules named for what they cover; importing them registers them on the
root group.
"""

from regiotwin.cli import documents, money, setup, twinning  # noqa: F401  (registers commands)
from regiotwin.cli.base import cli


def main() -> None:
    cli(prog_name="regiotwin")


__all__ = ["cli", "main"]
