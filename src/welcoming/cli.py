"""The `welcoming` command for operators: each sub-command is a Django management command.

`welcoming import-indicators FILE` runs `manage.py import_indicators FILE`, so the CLI, the tests
(`call_command`) and Django's own tooling share one implementation. `welcoming manage ARGS` gives
the rest of Django's commands (migrate, createsuperuser, ...).
"""

import os
import sys

ALIASES = {"serve": "runserver"}


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "welcoming.config.settings.local")
    from django.core.management import execute_from_command_line

    if not args or args[0] in {"-h", "--help", "help"}:
        execute_from_command_line(["welcoming", "help", "--commands"])
        return
    if args[0] == "manage":
        execute_from_command_line(["welcoming", *args[1:]])
        return
    command = ALIASES.get(args[0], args[0].replace("-", "_"))
    execute_from_command_line(["welcoming", command, *args[1:]])


if __name__ == "__main__":
    main()
