"""The `openincome` command: a thin wrapper over the Django management commands."""

from __future__ import annotations

import contextlib
import os
import sys

# Every command of INTERCHANGE.md, in the order the help lists them.
COMMANDS: dict[str, str] = {
    "demo": "create a demo landlord (if the database is empty) and serve the web app",
    "serve": "serve the web app and its task worker [--host --port --workers --no-task-worker]",
    "import": "import an interchange folder: import DIR [--update]",
    "export": "write the database out as an interchange folder: export DIR",
    "simulate": "write a synthetic landlord: simulate --tenancies N --years Y --seed S --out DIR",
    "post-rent": "post charge debits for every due rent period: post-rent --through DATE [--force]",
    "nightly": "classify every tenancy and store the worklist: nightly --as-of DATE",
    "worklist": "print the worklist: worklist --as-of DATE [--format table|csv|json] [--patch P]",
    "account": "print one account: account TENANCY_REF [--as-of DATE]",
    "send": "send an action's letters and messages: send --as-of DATE --action A [--dry-run]",
    "statements": "quarterly rent statements: statements --quarter 2026Q3 [--out DIR] [--send]",
    "agreement": "repayment agreements: agreement add|cancel|list (see agreement --help)",
    "payments": "payment files: payments import --source allpay|bank-csv|camt053|hb|uc FILE",
    "policy": "show the arrears policy in force: policy show [--as-of DATE]",
    "notice": "a notice's dates, or serve one: notice dates|serve TENANCY_REF --kind K ...",
    "court": "legal steps: court claim|warrant|extension TENANCY_REF; court hearing|prepare|"
             "outcome|possession-date|n244|warrant-issued|eviction|evicted|claim-data|bundle "
             "CASE_REF",
    "approvals": "approvals of legal steps: approvals list [--status S]; approvals "
                 "approve|refuse ID --user U --reason R",
    "benefit": "a benefit claim's story: benefit record CLAIM_REF --status S --date DATE",
    "user": "manage users: user add USERNAME --role ROLE [--patch P]...",
    "dd": "Direct Debit: dd collect --date DATE --out FILE; lodge, change, cancel, report",
    "manage": "Django's management commands, for administrators",
}

# Commands whose issue has not landed yet say so plainly instead of failing obscurely.
NOT_YET: set[str] = set()

HELP = "usage: openincome COMMAND [ARGS]\n\nOpen Income: rent income and arrears recovery.\n\n"


def _help() -> str:
    width = max(len(c) for c in COMMANDS)
    lines = [f"  {name.ljust(width)}  {text}" for name, text in COMMANDS.items()]
    return (
        HELP
        + "commands:\n"
        + "\n".join(lines)
        + "\n\nRun 'openincome COMMAND --help' for a command's options.\n"
        + "The database is OPENINCOME_DATABASE_URL (default: ./openincome.sqlite3).\n"
    )


def _shown(text: str) -> str:
    """Text with control characters as escapes (lines and tabs kept): safe on a terminal."""
    from openincome.ledger.limits import printable

    # str.isprintable() is fast; the character-by-character escape runs only on lines that
    # need it (a big CSV with one odd line stays quick).
    if text.replace("\n", "").replace("\t", "").isprintable():
        return text
    return "\n".join(
        line if line.replace("\t", "").isprintable()
        else "\t".join(map(printable, line.split("\t")))
        for line in text.split("\n")
    )


class _Escaping:
    """A stream writing control characters as escapes, so no value can drive the terminal."""

    def __init__(self, out) -> None:
        self._out = out

    def write(self, text: str) -> int:
        """Write the text with its control characters escaped."""
        return self._out.write(_shown(text))

    def __getattr__(self, name: str):
        return getattr(self._out, name)


def _migrate_if_needed() -> None:
    """Create and migrate the database when it is new or behind (every command may need it)."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=0)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `openincome` console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        sys.stdout.write(_help())
        return 0
    command, rest = argv[0], argv[1:]
    if command not in COMMANDS:
        sys.stderr.write(f"openincome: unknown command '{_shown(command)}'\n\n{_help()}")
        return 2
    if command in NOT_YET:
        sys.stderr.write(f"openincome {command}: not available yet (planned in a later release)\n")
        return 1

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openincome.settings")
    import django
    from django.core.management import execute_from_command_line

    django.setup()
    if command == "manage":
        execute_from_command_line(["openincome manage", *rest])
        return 0
    if "-h" not in rest and "--help" not in rest:
        try:
            _migrate_if_needed()
        except Exception as exc:  # noqa: BLE001 - any database failure gets one clear line
            sys.stderr.write(
                f"openincome: cannot open the database ({exc}).\n"
                "Check OPENINCOME_DATABASE_URL and that the database server is running.\n"
            )
            return 1
    return _run(command, rest)


def _run(command: str, rest: list[str]) -> int:
    """Run one management command like Django's run_from_argv, but leave connections open.

    (run_from_argv closes every connection afterwards, which would break callers that keep
    using the database, such as tests calling main() inside a transaction.)
    """
    from django.core.management import CommandError, ManagementUtility

    prog = f"openincome {command}"
    django_name = command.replace("-", "_")
    cmd = ManagementUtility([prog, django_name, *rest]).fetch_command(django_name)
    cmd._called_from_command_line = True
    parser = cmd.create_parser("openincome", command)
    parser.prog = prog
    try:
        # argparse echoes a bad value in its message (invalid choice: '...').
        with contextlib.redirect_stderr(_Escaping(sys.stderr)):
            options = vars(parser.parse_args(rest))
        args = options.pop("args", ())
        # Output shows values from files and the database: never raw control characters.
        options.update(stdout=_Escaping(sys.stdout), stderr=_Escaping(sys.stderr))
        cmd.execute(*args, **options)
    except CommandError as exc:
        sys.stderr.write(f"openincome {command}: {_shown(str(exc))}\n")
        return exc.returncode
    except SystemExit as exc:  # argparse reports bad arguments this way (code 2)
        return exc.code if isinstance(exc.code, int) else 1
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 1
    except Exception as exc:  # noqa: BLE001 - one clear line instead of a traceback
        if "--traceback" in rest:
            raise
        sys.stderr.write(
            f"openincome {command}: failed: {type(exc).__name__}: {_shown(str(exc))}\n"
            "Re-run with --traceback for details, or report the problem with them.\n"
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
