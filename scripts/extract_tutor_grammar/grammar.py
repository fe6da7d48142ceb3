"""From interpreted click commands to plain JSON command nodes, and what a command may ask the user."""

from __future__ import annotations

import ast
import copy

from .interp import (UNKNOWN, CommandVal, Sym, Unsupported, param_default, param_dest, param_is_flag, param_names,
                     where)


def option_label(param):
    _dest, opts, _secondary = param_names(param)
    longs = [o for o in opts if o.startswith("--")]
    return (longs or opts or [param.decls[0]])[0]


def param_node(param):
    kw = param.kwargs
    dest, opts, secondary = param_names(param)
    node = {}
    if param.kind == "option":
        node["kind"] = "option"
        node["names"] = opts
        if secondary:
            node["secondary"] = secondary
        if dest is not None:
            node["dest"] = dest
        flag = param_is_flag(param)
        if flag:
            node["flag"] = True
        if kw.get("count"):
            node["count"] = True
        if kw.get("multiple"):
            node["multiple"] = True
        nargs = kw.get("nargs", 1)
        if not isinstance(nargs, int):
            raise Unsupported("%s: nargs not a number" % param.location)
        if nargs != 1 and not flag:
            node["nargs"] = nargs
        if kw.get("required"):
            node["required"] = True
        if kw.get("prompt") not in (None, False):
            node["prompt"] = True
        if kw.get("is_eager"):
            node["eager"] = True
    else:
        node["kind"] = "argument"
        node["name"] = dest
        nargs = kw.get("nargs", 1)
        if not isinstance(nargs, int):
            raise Unsupported("%s: nargs not a number" % param.location)
        node["nargs"] = nargs
        required = kw.get("required")
        if required is None:
            required = "default" not in kw and nargs > 0
        node["required"] = bool(required)
    t = param.type_desc
    if isinstance(t, dict):
        node["choices"] = t["choices"]
        if not t.get("caseSensitive", True):
            node["caseInsensitive"] = True
    elif t is not None:
        node["type"] = t
    return node


def help_option_names(command):
    """The help option names a command's context sets: context_settings, or `ctx.help_option_names = [...]`."""
    settings = command.attrs.get("context_settings") or {}
    names = settings.get("help_option_names")
    if isinstance(names, list) and all(isinstance(n, str) for n in names):
        return names
    if command.callback is not None:
        for node in ast.walk(command.callback.node):
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Attribute) and t.attr == "help_option_names"
                                                    for t in node.targets):
                try:
                    return list(ast.literal_eval(node.value))
                except ValueError as e:
                    raise Unsupported("%s: help_option_names not a literal" % where(command.module, node)) from e
    return None


class TreeBuilder:
    def __init__(self, interp, plugin_groups):
        self.interp = interp
        self.plugin_groups = plugin_groups
        self.asks_cache = {}

    def node(self, command, path):
        n = {"name": path[-1]}
        n["source"] = command.module.path if command.module else None
        settings = command.attrs.get("context_settings") or {}
        if command.kind == "group":
            n["group"] = True
            if command.attrs.get("invoke_without_command"):
                n["invokeWithoutCommand"] = True
            if command.attrs.get("chain"):
                raise Unsupported("%s: chained groups are not modelled" % where(command.module, command.node))
        if command.attrs.get("add_help_option") is False:
            n["noHelpOption"] = True
        for key, name in (("ignore_unknown_options", "ignoreUnknownOptions"), ("allow_extra_args", "allowExtraArgs"),
                          ("allow_interspersed_args", "allowInterspersedArgs")):
            if key in settings:
                n[name] = bool(settings[key])
        names = help_option_names(command)
        if names is not None:
            n["helpOptionNames"] = names
        if command.repl:
            n["repl"] = True
        n["params"] = [param_node(p) for p in command.params]
        if command.kind == "command":
            asks = self.asks(command)
            if asks:
                n["asks"] = asks
        kind = self.plugin_groups.get(id(command))
        if kind or command.plugin_commands:
            n["pluginCommands"] = kind or "top"
        if command.kind == "group":
            n["commands"] = [self.node(command.commands[name], path + [name]) for name in sorted(command.commands)]
        return n

    # -- what a command asks ------------------------------------------------------------------------------------

    def run(self, command, values):
        interp = self.interp
        saved = (copy.copy(interp.registry.items), {k: list(v) for k, v in interp.registry.items.items()})
        interp.events = []
        interp.invoke_callback(command, values)
        events = interp.events
        interp.events = []
        interp.registry.items = {k: v for k, v in saved[1].items()}
        return events

    def asks(self, command):
        key = id(command)
        if key in self.asks_cache:
            return self.asks_cache[key]
        result = self._asks(command)
        self.asks_cache[key] = result
        return result

    def _asks(self, command):
        if command.callback is None:
            return None
        params = [p for p in command.params if param_dest(p) is not None]
        prompts = [p for p in params if p.kind == "option" and p.kwargs.get("prompt") not in (None, False)]
        unknown = {param_dest(p): UNKNOWN for p in params}
        reach = [e for e in self.run(command, unknown) if e[0] == "ask"]
        if not reach and not prompts:
            return None
        base = {param_dest(p): param_default(p) for p in params}
        for p in params:
            if p.kind == "argument" and param_default(p) is None:
                base[param_dest(p)] = Sym("argument")

        def asks_with(values, given):
            if any(p is not given for p in prompts if values.get(param_dest(p)) in (None, ())):
                return True
            return any(e[0] == "ask" for e in self.run(command, values))

        default = asks_with(base, None)
        silenced, asked = [], []
        for p in params:
            if p.kind != "option":
                continue
            dest = param_dest(p)
            values = dict(base)
            if param_is_flag(p):
                values[dest] = 1 if p.kwargs.get("count") else True
                if param_names(p)[2] and base[dest] is True:
                    values[dest] = False
            elif p.kwargs.get("multiple"):
                values[dest] = (Sym("given"),)
            else:
                values[dest] = Sym("given")
            result = asks_with(values, p)
            label = option_label(p)
            if default and not result:
                silenced.append(label)
            if not default and result:
                asked.append(label)
        out = {"byDefault": default}
        if silenced:
            out["silencedBy"] = silenced
        if asked:
            out["askedBy"] = asked
        if not default and not asked:
            return None
        sites = sorted({e[2].rsplit(":", 1)[0] for e in reach})
        out["sites"] = sites
        return out

    # -- candidates a command compares a user value against -----------------------------------------------------

    def candidates(self, command, dest, label, many):
        params = [p for p in command.params if param_dest(p) is not None]
        values = {param_dest(p): param_default(p) for p in params}
        for p in params:
            if p.kind == "argument" and param_default(p) is None:
                values[param_dest(p)] = Sym("argument")
        values[dest] = (Sym(label),) if many else Sym(label)
        events = self.run(command, values)
        names = sorted({e[2] for e in events if e[0] == "candidate" and e[1] == label and not e[3]})
        patterns = sorted({e[2] for e in events if e[0] == "candidate" and e[1] == label and e[3]})
        raises = sorted({e[1] for e in events if e[0] == "raises"})
        return names, patterns, raises


def find(command, *path):
    for name in path:
        if not isinstance(command, CommandVal) or name not in command.commands:
            return None
        command = command.commands[name]
    return command
