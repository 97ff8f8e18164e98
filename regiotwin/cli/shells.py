"""Shell completion: `regiotwin completion SHELL` prints the script that a shell sources.

click completes bash, zsh and fish; PowerShell speaks the same protocol through the class
below: the script hands the command line up to the cursor to `regiotwin` (with
`_REGIOTWIN_COMPLETE=powershell_complete`), which answers one `type<TAB>value` line per item.
"""

from __future__ import annotations

import os
import re
from typing import Any

import click
from click.shell_completion import (
    BashComplete,
    CompletionItem,
    ShellComplete,
    add_completion_class,
    get_completion_class,
    split_arg_string,
)

from regiotwin.cli.base import ChoiceOne, cli, command

PROG = "regiotwin"
COMPLETE_VAR = "_REGIOTWIN_COMPLETE"
SHELLS = ("bash", "zsh", "fish", "powershell")

_SOURCE_POWERSHELL = """\
# regiotwin completion for PowerShell: add this line to your $PROFILE
#   regiotwin completion powershell | Out-String | Invoke-Expression
Register-ArgumentCompleter -Native -CommandName %(prog_name)s -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $line = $commandAst.Extent.Text
    $offset = $cursorPosition - $commandAst.Extent.StartOffset
    if ($offset -lt $line.Length) { $line = $line.Substring(0, $offset) }
    if ($wordToComplete -eq '') { $line = $line + ' ' }
    $encoding = [Console]::OutputEncoding
    [Console]::OutputEncoding = [System.Text.Encoding]::UTF8
    $env:COMP_LINE = $line
    $env:%(complete_var)s = 'powershell_complete'
    try {
        $items = @(& %(prog_name)s 2>$null)
    } finally {
        Remove-Item Env:%(complete_var)s, Env:COMP_LINE -ErrorAction SilentlyContinue
        [Console]::OutputEncoding = $encoding
    }
    foreach ($item in $items) {
        $type, $value, $help = $item -split "`t", 3
        if (-not $help) { $help = $value }
        if ($type -eq 'file' -or $type -eq 'dir') {
            Get-ChildItem -Path "$wordToComplete*" -ErrorAction SilentlyContinue | ForEach-Object {
                [System.Management.Automation.CompletionResult]::new(
                    $_.Name, $_.Name, 'ProviderItem', $_.Name)
            }
        } else {
            $text = $value
            if ($value -match '[\\s''`$;,@(){}&|<>#]') {
                $text = "'" + ($value -replace "'", "''") + "'"
            }
            [System.Management.Automation.CompletionResult]::new(
                $text, $value, 'ParameterValue', $help)
        }
    }
}
"""


class PowerShellComplete(ShellComplete):
    """Completion for Windows PowerShell 5.1 and PowerShell 7 (click has none)."""

    name = "powershell"
    source_template = _SOURCE_POWERSHELL

    def get_completion_args(self) -> tuple[list[str], str]:
        line = os.environ.get("COMP_LINE", "")
        words = split_arg_string(line)
        incomplete = "" if not line or line[-1].isspace() else (words.pop() if words else "")
        return words[1:], incomplete

    def format_completion(self, item: CompletionItem) -> str:
        """`type<TAB>value`, and `<TAB>help` where the item has one (the tooltip)."""
        help_ = " ".join((item.help or "").split())
        return f"{item.type}\t{item.value}" + (f"\t{help_}" if help_ else "")


add_completion_class(PowerShellComplete)


class BashQuotingComplete(BashComplete):
    """click's bash completion, with values quoted for the command line: bash inserts what it
    gets as it is, so `Max Beispiel` must arrive as `Max\\ Beispiel` (and its script reads
    each line with `read`, which takes one level of backslashes away)."""

    def format_completion(self, item: CompletionItem) -> str:
        if item.type != "plain":
            return super().format_completion(item)
        quoted = _UNSAFE.sub(r"\\\g<0>", item.value)
        return f"{item.type}," + quoted.replace("\\", "\\\\")


_UNSAFE = re.compile(r"[^\w@%+=:,./-]")
add_completion_class(BashQuotingComplete)  # takes the place of click's own "bash"


@command()
@click.argument("shell", type=ChoiceOne(SHELLS))
def completion(shell: str) -> None:
    """Print the completion script for SHELL: bash, zsh, fish or powershell.

    It completes commands, options, and the values that exist: pairs, partners, contacts,
    meetings, measures, decisions, expenses, events and the vocabulary. Install it once:

    \b
      bash        echo 'eval "$(regiotwin completion bash)"' >> ~/.bashrc
      zsh         echo 'eval "$(regiotwin completion zsh)"' >> ~/.zshrc
      fish        regiotwin completion fish > ~/.config/fish/completions/regiotwin.fish
      powershell  Add-Content $PROFILE `
                    'regiotwin completion powershell | Out-String | Invoke-Expression'
    """
    kind: Any = get_completion_class(shell)
    assert kind is not None  # every shell of SHELLS has a class
    click.echo(kind(cli, {}, PROG, COMPLETE_VAR).source(), nl=False)
