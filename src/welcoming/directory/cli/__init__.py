"""Sub-commands of `welcoming directory`, one module each.

A module here defines `NAME` (the sub-command), `HELP`, `add_arguments(parser)` and
`run(command, options)`; `management/commands/directory.py` finds every module of this package,
so a new sub-command is a new module and nothing else.
"""
