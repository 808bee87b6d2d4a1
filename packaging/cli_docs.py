#!/usr/bin/env python3
"""Writes the anthology(1) man page and the bash completion from the program's own --help.

Run at build time on the freshly built `anthology`: the groups, commands, options and every
sentence of the man page are read from `anthology --help`, `anthology GROUP --help` and
`anthology GROUP COMMAND --help`, so the page and the completion cannot drift from the program.

    cli_docs.py PROGRAM --man anthology.1.gz --completion anthology

A man page name ending in .gz is compressed (no timestamp inside, so builds are reproducible).
"""

import argparse
import gzip
import re
import subprocess
import sys


def help_text(program, *words, may_be_absent=False):
    """The --help of a group or command; None for a group this build leaves out (when allowed)."""
    result = subprocess.run([program, *words, "--help"], capture_output=True, text=True,
                            env={"LC_ALL": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen"})
    if may_be_absent and result.returncode == 1 and "is not built in" in result.stderr:
        return None
    if result.returncode != 0:
        sys.exit(f"cli_docs: '{program} {' '.join(words)} --help' exited with {result.returncode}:\n"
                 f"{result.stderr}")
    return result.stdout


def section(text, title):
    """The lines of a 'Title:' section, up to the next blank line followed by a non-indented line."""
    lines = text.splitlines()
    try:
        start = lines.index(title + ":") + 1
    except ValueError:
        return []
    out = []
    for line in lines[start:]:
        if line and not line.startswith(" "):
            break
        out.append(line)
    while out and not out[-1].strip():
        out.pop()
    return out


def entries(lines, option_like):
    """(spec, description) pairs of a two-column help section; wrapped descriptions are joined."""
    result = []
    for line in lines:
        if not line.strip():
            continue
        starts_entry = line.startswith("  ") and not line.startswith("   ")
        if option_like:
            starts_entry = starts_entry and line.lstrip().startswith("-")
        if starts_entry:
            # Names never hold spaces; option specs do ("-p, --project <file>") and end at two.
            parts = re.split(r"\s{2,}" if option_like else r"\s+", line.strip(), maxsplit=1)
            result.append([parts[0], parts[1] if len(parts) > 1 else ""])
        elif result:
            result[-1][1] = (result[-1][1] + " " + line.strip()).strip()
    return [tuple(e) for e in result]


class Command:
    def __init__(self, words, summary, text):
        self.words = words
        self.summary = summary
        lines = text.splitlines()
        self.usage = lines[0][len("Usage: "):] if lines and lines[0].startswith("Usage: ") else ""
        body = []
        for line in lines[1:]:
            if line in ("Options:", "Arguments:"):
                break
            body.append(line)
        self.description = " ".join(l.strip() for l in body if l.strip())
        self.options = entries(section(text, "Options"), True)
        self.arguments = entries(section(text, "Arguments"), False)

    def option_words(self):
        words = []
        for spec, _ in self.options:
            for name in re.findall(r"(--?[\w-]+)", spec.split("<")[0]):
                words.append(name)
        return words

    def value_options(self):
        """Options that take a value, with the value's name (file, dir, n, ...)."""
        out = {}
        for spec, _ in self.options:
            value = re.search(r"<([^>]+)>", spec)
            if value:
                for name in re.findall(r"(--?[\w-]+)", spec.split("<")[0]):
                    out[name] = value.group(1)
        return out


def read_program(program):
    top = help_text(program)
    groups = []
    for name, summary in entries(section(top, "Groups"), False):
        text = help_text(program, name, may_be_absent=True)
        if text is None:  # `figures` of a build with ANTHOLOGY_BUILD_GUI=OFF: its summary says so
            groups.append((name, summary, [Command([name], summary, "")]))
        elif "Commands:" in text.splitlines():
            commands = [Command([name, cmd], cmd_summary, help_text(program, name, cmd))
                        for cmd, cmd_summary in entries(section(text, "Commands"), False)]
            groups.append((name, summary, commands))
        else:
            groups.append((name, summary, [Command([name], summary, text)]))
    return top, groups


def roff(text):
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\\&" + text if text.startswith((".", "'")) else text


def man_page(program, version, top, groups):
    intro = []
    for line in top.splitlines()[1:]:
        if line.endswith(":"):
            break
        intro.append(line.strip())
    paragraphs = " ".join(intro).split("  ")
    out = [f'.TH ANTHOLOGY 1 "" "anthology {roff(version)}" "User Commands"',
           ".SH NAME",
           "anthology \\- " + roff("the command line of Anthology Workbench"),
           ".SH SYNOPSIS",
           ".B anthology",
           ".I group command",
           "[\\fIoptions\\fR]",
           ".br",
           ".B anthology",
           "\\-\\-help | \\-\\-version",
           ".SH DESCRIPTION"]
    for p in paragraphs:
        if p.strip():
            out += [".PP", roff(p.strip())]
    out += [".SH GROUPS"]
    for name, summary, _ in groups:
        out += [".TP", f".B {roff(name)}", roff(summary)]
    out += [".SH COMMANDS"]
    for name, summary, commands in groups:
        for command in commands:
            out += [f'.SS "{roff(" ".join(command.words))}"']
            if command.usage:
                out += [".PP", ".nf", roff(command.usage), ".fi"]
            if command.description:
                out += [".PP", roff(command.description)]
            for spec, description in command.arguments:
                out += [".TP", f".I {roff(spec)}", roff(description)]
            for spec, description in command.options:
                out += [".TP", f".B {roff(spec)}", roff(description)]
    out += [".SH ENVIRONMENT",
            ".TP", ".B ANTHOLOGY_PROJECT",
            roff("The project file of commands given no --project."),
            ".TP", ".B ANTHOLOGY_HTTP_TRANSPORT",
            roff("qt: send plain http through QtNetwork instead of the built-in keep-alive client."),
            ".TP", ".I API keys",
            roff("Read only from the environment variable a config's llm_parameters.api_key_env names "
                 "(for example OPENAI_API_KEY); never stored in a project or an export."),
            ".SH FILES",
            ".TP", ".I /usr/share/anthology/configs",
            roff("The default configs in the reference layout; --config-dir puts a folder of yours "
                 "in front."),
            ".TP", ".I /usr/share/doc/anthology-workbench",
            roff("The documentation: the method step by step, the project file, configs, metrics, "
                 "a tutorial and how to read the charts."),
            ".SH SEE ALSO",
            ".BR anthology\\-workbench (1),",
            ".BR sqlite3 (1)"]
    return "\n".join(out) + "\n"


def completion(groups):
    group_names = " ".join(name for name, _, _ in groups)
    lines = ["# bash completion for anthology: generated from the program's --help at build time.",
             "_anthology()",
             "{",
             '    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}',
             '    local group=${COMP_WORDS[1]} command=${COMP_WORDS[2]}',
             "    if [ \"$COMP_CWORD\" -eq 1 ]; then",
             f'        COMPREPLY=($(compgen -W "{group_names} --help --version" -- "$cur"))',
             "        return",
             "    fi",
             "    local commands='' key=$group",
             '    case "$group" in']
    for name, _, commands in groups:
        if len(commands) > 1 or commands[0].words != [name]:
            names = " ".join(c.words[1] for c in commands)
            lines.append(f"        {name}) commands='{names}' ;;")
    lines += ["    esac",
              '    if [ -n "$commands" ]; then',
              "        if [ \"$COMP_CWORD\" -eq 2 ]; then",
              '            COMPREPLY=($(compgen -W "$commands --help" -- "$cur"))',
              "            return",
              "        fi",
              '        key="$group $command"',
              "    fi",
              "    local options='' files='' dirs=''",
              '    case "$key" in']
    for _, _, commands in groups:
        for command in commands:
            values = command.value_options()
            file_options = " ".join(o for o, v in values.items() if v in ("file", "path", "file.sav"))
            dir_options = " ".join(o for o, v in values.items() if v in ("dir", "folder"))
            lines.append(f"        '{' '.join(command.words)}') options='{' '.join(command.option_words())}'"
                         f" files='{file_options}' dirs='{dir_options}' ;;")
    lines += ["    esac",
              '    if [ -n "$prev" ] && [[ " $dirs " == *" $prev "* ]]; then',
              '        COMPREPLY=($(compgen -d -- "$cur"))',
              "        return",
              "    fi",
              '    if [ -n "$prev" ] && [[ " $files " == *" $prev "* ]]; then',
              '        COMPREPLY=($(compgen -f -- "$cur"))',
              "        return",
              "    fi",
              '    if [[ "$cur" == -* ]]; then',
              '        COMPREPLY=($(compgen -W "$options" -- "$cur"))',
              "    else",
              '        COMPREPLY=($(compgen -f -- "$cur"))',
              "    fi",
              "}",
              "complete -o filenames -F _anthology anthology"]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("program")
    parser.add_argument("--man", required=True)
    parser.add_argument("--completion", required=True)
    args = parser.parse_args()
    version = subprocess.run([args.program, "--version"], capture_output=True, text=True,
                             check=True).stdout.split()[-1]
    top, groups = read_program(args.program)
    if not groups:
        sys.exit("cli_docs: no command groups found in the program's --help")
    page = man_page(args.program, version, top, groups).encode("utf-8")
    if args.man.endswith(".gz"):
        with open(args.man, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as f:
            f.write(page)
    else:
        with open(args.man, "wb") as f:
            f.write(page)
    with open(args.completion, "w", encoding="utf-8") as f:
        f.write(completion(groups))


if __name__ == "__main__":
    main()
