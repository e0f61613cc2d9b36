"""Click classes that speak through cli/i18n and load commands lazily.

Help text is stored as catalogue *keys* and translated when it is shown,
not when the module is imported: the language is only known after
``--lang`` is parsed, and a test process switches languages between runs.

``LazyGroup`` maps command names to ``"module:attribute"`` strings so that
``serah --help`` and ``serah handover accept`` import only what they use
(eventsourcing and the ledger are imported inside commands, never here).
"""

from __future__ import annotations

import functools
import importlib
import re

import click

from cli.i18n import has, t


def _text(key: str | None) -> str | None:
    if key is None:
        return None
    return t(key) if has(key) else key


class TOption(click.Option):
    """An option whose ``help`` is a catalogue key.

    ``aliases``: former spellings that still work but are not shown in the
    help, so that a renamed option (one name, one meaning across commands)
    does not break the scripts that used the old one.
    """

    def __init__(self, param_decls=None, aliases=(), **attrs):
        self._aliases = tuple(aliases)
        super().__init__([*(param_decls or ()), *self._aliases], **attrs)

    @property
    def help(self):
        return _text(self._help_key)

    @help.setter
    def help(self, value):
        self._help_key = value


    def get_help_record(self, ctx):
        # click writes "[required]" and "[default: x]" in English: say them in the user's language.
        record = super().get_help_record(ctx)
        if record is None:
            return None
        name, text = record
        for alias in self._aliases:
            name = re.sub(rf", {re.escape(alias)}(?![\w-])|{re.escape(alias)}, ", "", name)
        text = text.replace("[required]", f"[{t('cli.required')}]").replace("[default: ", f"[{t('cli.default')}: ")
        text = text.replace("; required]", f"; {t('cli.required')}]")
        return name, text


option = functools.partial(click.option, cls=TOption)


class _Translated:
    """Mixin: ``help`` is the key K; the short help is K + ".short"."""

    @property
    def help(self):
        return _text(self._help_key)

    @help.setter
    def help(self, value):
        self._help_key = value

    @property
    def short_help(self):
        if self._help_key and has(self._help_key + ".short"):
            return t(self._help_key + ".short")
        return None

    @short_help.setter
    def short_help(self, value):
        pass

    @property
    def epilog(self):
        return _text(getattr(self, "_epilog_key", None))

    @epilog.setter
    def epilog(self, value):
        self._epilog_key = value

    def format_usage(self, ctx, formatter):
        # click's own metavars ("[OPTIONS]", "COMMAND [ARGS]...") in the user's language
        words = {"[OPTIONS]": t("cli.usage_options"), "COMMAND": t("cli.usage_command"), "[ARGS]...": t("cli.usage_args")}
        pieces = [" ".join(words.get(w, w) for w in piece.split(" ")) for piece in self.collect_usage_pieces(ctx)]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=t("cli.usage") + " ")

    def get_help_option(self, ctx):
        help_option = super().get_help_option(ctx)
        if help_option is not None:
            help_option.help = t("cli.help_option")
        return help_option

    def format_options(self, ctx, formatter):
        rows = [rec for rec in (p.get_help_record(ctx) for p in self.get_params(ctx)) if rec]
        if rows:
            with formatter.section(t("cli.options")):
                formatter.write_dl(rows)

    def format_epilog(self, ctx, formatter):
        # Keep the epilog's own line breaks (exit code tables, examples).
        if self.epilog:
            formatter.write_paragraph()
            for line in self.epilog.splitlines():
                formatter.write(" " * formatter.current_indent + "  " + line + "\n" if line else "\n")

    def format_help_text(self, ctx, formatter):
        # Help texts carry examples: keep their line breaks too.
        text = self.help or ""
        if text:
            formatter.write_paragraph()
            for line in text.splitlines():
                formatter.write(("  " + line).rstrip() + "\n")


class Command(_Translated, click.Command):
    pass


class Group(_Translated, click.Group):
    """A group whose subcommands are named ``"module:attribute"`` and imported on use."""

    command_class = Command
    group_class = type  # click idiom: subgroups made with @group.group() use this class too

    def __init__(self, *args, lazy: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def format_options(self, ctx, formatter):
        _Translated.format_options(self, ctx, formatter)
        self.format_commands(ctx, formatter)

    def list_commands(self, ctx):
        # Declared order, not alphabetical: the help reads as a workflow.
        return list(self.lazy) + [n for n in self.commands if n not in self.lazy]

    def get_command(self, ctx, name):
        if name in self.commands:
            return self.commands[name]
        target = self.lazy.get(name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        self.commands[name] = command
        return command

    def resolve_command(self, ctx, args):
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None and not ctx.resilient_parsing:
            raise click.UsageError(t("usage.no_such_command", name=name), ctx)
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx, formatter):
        # Short help comes from the catalogue by name: no command module is imported.
        rows = []
        for name in self.list_commands(ctx):
            key = f"{self._help_key}.{name}.short" if self._help_key else None
            if key and has(key):
                rows.append((name, t(key)))
            else:
                command = self.get_command(ctx, name)
                if command is not None and not command.hidden:
                    rows.append((name, command.get_short_help_str()))
        if rows:
            with formatter.section(t("cli.commands")):
                formatter.write_dl(rows)

