"""`python -m bot run [--webhook] | demo | migrate | registry import|export FILE |
registry convert SRC DST | invite UNIT | stats | backup FILE | check`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.settings import Settings, SettingsError, load_settings, require_token
from core import redact


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="联调联战 rescue bot")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the bot against Telegram (needs RESCUEBOT_TOKEN)")
    run.add_argument("--webhook", action="store_true",
                     help="receive updates on a webhook instead of polling (needs "
                     "RESCUEBOT_WEBHOOK__URL and RESCUEBOT_WEBHOOK__SECRET)")
    demo = sub.add_parser("demo", help="run the bot against a local sandbox, no token needed")
    demo.add_argument("--registry", type=Path, default=None)
    demo.add_argument("--fast", action="store_true", help="no pauses between scenes")
    sub.add_parser("migrate", help="apply database migrations")
    reg = sub.add_parser("registry", help="the registry of units and people")
    reg_sub = reg.add_subparsers(dest="action", required=True)
    imp = reg_sub.add_parser("import", help="import a registry file (.yaml or .xlsx)")
    imp.add_argument("file", type=Path)
    exp = reg_sub.add_parser("export", help="write the whole registry to FILE (.xlsx or .yaml)")
    exp.add_argument("file", type=Path)
    conv = reg_sub.add_parser("convert", help="a registry file in the other format "
                              "(.yaml <-> .xlsx), checked; no database")
    conv.add_argument("source", type=Path)
    conv.add_argument("target", type=Path)
    for each in (imp, exp, conv):
        each.add_argument("--lang", choices=("zh", "en"), help="language of the messages "
                          "(default: RESCUEBOT_LOCALE, else Chinese)")
    inv = sub.add_parser("invite", help="a one-time code to bind a group chat to a unit")
    inv.add_argument("unit")
    stats = sub.add_parser("stats", help="the county's assessment as .xlsx and/or .docx")
    when = stats.add_mutually_exclusive_group()
    when.add_argument("--year", type=int, help="a year, e.g. 2026 (default: this year)")
    when.add_argument("--month", help="a month, YYYY-MM, e.g. 2026-11")
    stats.add_argument("--out", type=Path, action="append", default=[],
                       help="a file to write, .xlsx or .docx (may be given twice)")
    stats.add_argument("--docx", type=Path, action="append", default=[],
                       help="a Word document to write")
    stats.add_argument("--drill", action="store_true", help="drill figures (never mixed)")
    stats.add_argument("--lang", choices=("zh", "en"), help="language of the files (default: "
                       "RESCUEBOT_LOCALE, else Chinese)")
    backup = sub.add_parser("backup", help="a consistent copy of the SQLite database, while "
                            "the bot runs (PostgreSQL: prints the pg_dump command)")
    backup.add_argument("file", type=Path)
    sub.add_parser("check", help="settings, database, migrations, token, webhook and Redis: "
                   "one line each, exit status 1 if any fails")
    return parser


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    if args.command == "check":
        _check()
        return
    settings = load_settings()
    _logging(settings, quiet=args.command not in ("run", "demo"))
    # Each command imports what it needs: `run` neither the console commands nor the demo.
    from bot import preflight

    try:
        if args.command == "run":
            webhook = bool(args.webhook)
            if webhook:
                preflight.check_webhook(settings)
            asyncio.run(preflight.run_bot(settings, require_token(settings), webhook))
            return
        if args.command == "demo":
            from demo.run import run_demo

            asyncio.run(run_demo(settings, args.registry, fast=args.fast))
            return
        if args.command == "registry" and args.action == "convert":
            _console(args, settings)  # a file to a file: no database to check
            return
        if args.command == "backup":
            _backup(settings, args.file)
            return
        print(preflight.database_line(settings), file=sys.stderr)
        asyncio.run(preflight.check_database(settings.database_url))
        _console(args, settings)
    except preflight.StartRefused as e:
        print(e.message, file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        pass


def _logging(settings: Settings, quiet: bool) -> None:
    from bot import logs

    logs.setup("WARNING" if quiet else settings.log_level, settings.log_format)
    for secret in (settings.token, settings.webhook.secret):
        if secret is not None:
            redact.remember(secret.get_secret_value())


def _check() -> None:
    from bot.check import Line, run_checks

    try:
        settings = load_settings()
    except SettingsError as e:
        print(Line(False, "settings", str(e)))
        sys.exit(1)
    _logging(settings, quiet=True)
    lines = asyncio.run(run_checks(settings))
    for line in lines:
        print(line)
    sys.exit(0 if all(line.ok for line in lines) else 1)


def _backup(settings: Settings, target: Path) -> None:
    from bot import backup

    try:
        source = backup.sqlite_path(settings.database_url)
        if source is None:
            print(backup.pg_dump_advice(settings.database_url, target))
            sys.exit(2)
        print(backup.backup_sqlite(source, target).line())
    except backup.BackupRefused as e:
        print(f"backup: {e}", file=sys.stderr)
        sys.exit(2)


def _console(args: argparse.Namespace, settings: Settings) -> None:
    from bot import registry_cli

    try:
        if args.command == "migrate":
            asyncio.run(registry_cli.run_migrations(settings))
        elif args.command == "registry":
            locale = {"zh": "zh_Hans", "en": "en"}.get(args.lang or "")
            if args.action == "export":
                print(asyncio.run(registry_cli.export_file(settings, args.file, locale=locale)))
            elif args.action == "convert":
                print(registry_cli.convert_file(settings, args.source, args.target,
                                                locale=locale))
            else:
                print(asyncio.run(registry_cli.import_file(settings, args.file,
                                                           locale=locale)))
        elif args.command == "invite":
            print(asyncio.run(registry_cli.make_invite(settings, args.unit)))
        elif args.command == "stats":
            from bot import assessment_cli

            locale = {"zh": "zh_Hans", "en": "en"}.get(args.lang or "")
            print(asyncio.run(assessment_cli.export(
                settings, [*args.out, *args.docx], year=args.year, month=args.month,
                drill=args.drill, locale=locale)))
    except registry_cli.CliError as e:
        print(e.message, file=sys.stderr)
        sys.exit(2)
