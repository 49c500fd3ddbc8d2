"""Writes a man page (section 1, roff) from an executable's `--experimental-dump-help` JSON on standard input:
its abstract, discussion, options and each subcommand's, so that the page says what `--help` says.
Usage: autocoder --experimental-dump-help | python3 scripts/manpage.py VERSION [--subcommand S --name N] > N.1
(--subcommand: the page of one subcommand, under the name of the executable that runs it)"""
import json
import sys


def escaped(text):
    lines = []
    for line in (text or "").replace("\\", "\\e").splitlines():
        # A line that starts with a dot or a quote would be read as a request.
        lines.append("\\&" + line if line.startswith((".", "'")) else line)
    return "\n".join(lines)


def option_names(argument):
    names = []
    for name in argument.get("names") or []:
        dashes = {"long": "--", "short": "-", "longWithSingleDash": "-"}.get(name["kind"], "--")
        names.append("\\fB" + dashes + name["name"] + "\\fR")
    value = argument.get("valueName")
    if argument.get("kind") == "positional":
        return "\\fI<" + (value or "value") + ">\\fR"
    if argument.get("kind") == "option" and value:
        return ", ".join(names) + " \\fI<" + value + ">\\fR"
    return ", ".join(names)


def section(command, path):
    out = []
    arguments = [a for a in command.get("arguments") or [] if a.get("shouldDisplay", True)]
    if arguments:
        out.append(".SS " + escaped(" ".join(path)) if len(path) > 1 else ".SH OPTIONS")
        if len(path) > 1 and command.get("abstract"):
            out.append(escaped(command["abstract"]))
            out.append(".PP")
        if len(path) > 1 and command.get("discussion"):
            out.append(escaped(command["discussion"]))
        for argument in arguments:
            out.append(".TP")
            out.append(option_names(argument))
            text = argument.get("abstract") or ""
            if argument.get("defaultValue"):
                text += " (default: " + argument["defaultValue"] + ")"
            out.append(escaped(text) or "\\&")
            if argument.get("discussion"):
                out.append(".IP")
                out.append(escaped(argument["discussion"]))
    for sub in command.get("subcommands") or []:
        out += section(sub, path + [sub["commandName"]])
    return out


def main():
    arguments = sys.argv[1:]
    version = arguments[0] if arguments else ""
    options = dict(zip(arguments[1::2], arguments[2::2]))
    command = json.load(sys.stdin)["command"]
    if "--subcommand" in options:
        (command,) = [sub for sub in command.get("subcommands") or [] if sub["commandName"] == options["--subcommand"]]
    name = options.get("--name", command["commandName"])
    page = [
        '.TH "' + name.upper() + '" "1" "" "autocoder ' + version + '" "User Commands"',
        ".SH NAME",
        escaped(name) + " \\- " + escaped(command.get("abstract") or ""),
        ".SH SYNOPSIS",
        "\\fB" + name + "\\fR" + (" \\fIsubcommand\\fR" if command.get("subcommands") else "") + " [\\fIoptions\\fR]",
    ]
    if command.get("discussion"):
        page += [".SH DESCRIPTION", escaped(command["discussion"])]
    subcommands = command.get("subcommands") or []
    if subcommands:
        page.append(".SH COMMANDS")
        for sub in subcommands:
            page += [".TP", "\\fB" + sub["commandName"] + "\\fR", escaped(sub.get("abstract") or "") or "\\&"]
    page += section(command, [name])
    page += [".SH SEE ALSO", "The reference: docs/commands.md in autocoder's repository."]
    print("\n".join(page))


if __name__ == "__main__":
    main()
