"""Extraction of one Tutor version: command tree, asks, facts, config keys, package metadata."""

from __future__ import annotations

import ast
import re

from .grammar import TreeBuilder, find, option_label
from .interp import CommandVal, FuncVal, Interpreter, Unsupported, param_dest
from .meta import read_metadata

MODES = ("local", "dev", "k8s")
CONFIG_FILES = re.compile(r"^tutor/templates/(config(-defaults)?\.yml|config/[^/]+\.yml)$")
TOP_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*:")


def python_sources(repo, commit, root):
    sources, packages = {}, set()
    for path in sorted(repo.files(commit)):
        if not path.startswith(root + "/") or not path.endswith(".py") or "/templates/" in path:
            continue
        module = path[:-3].replace("/", ".")
        if module.endswith(".__init__"):
            module = module[: -len(".__init__")]
            packages.add(module)
        sources[module] = (path, repo.read(commit, path))
    return sources, packages


def hook_aliases(sources, package="tutor"):
    """Filter/action names used as strings ("cli:commands") mapped to their constants (CLI_COMMANDS)."""
    aliases = {}
    for module in (package + ".hooks.consts", package + ".hooks.catalog"):
        if module not in sources:
            continue
        tree = ast.parse(sources[module][1])
        for node in ast.walk(tree):
            target, value = None, None
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                target, value = node.targets[0].id, node.value
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                target, value = node.target.id, node.value
            if target and isinstance(value, ast.Call) and value.args and isinstance(value.args[0], ast.Constant) \
                    and isinstance(value.args[0].value, str):
                aliases[value.args[0].value] = target
    return aliases


def config_keys(repo, commit):
    keys, files = set(), []
    for path in sorted(repo.files(commit)):
        if CONFIG_FILES.match(path):
            files.append(path)
            for line in repo.read(commit, path).splitlines():
                m = TOP_KEY.match(line)
                if m:
                    keys.add(m.group(1))
    if not keys:
        raise Unsupported("%s: no default configuration file found" % commit[:10])
    return sorted(keys), files


def filter_commands(interp, name):
    out = []
    for item in interp.registry.items.get(name, []):
        if not isinstance(item.value, CommandVal):
            raise Unsupported("%s: an item of %s is not a command the extractor can see" % (item.location, name))
        out.append(item.value)
    return out


_CACHE = {}


def code_key(repo, commit, root):
    """What the extraction reads, except the version in __about__.py: equal keys give equal results."""
    parts = []
    for path, blob in sorted(repo.files(commit).items()):
        relevant = (path.startswith(root + "/") and path.endswith(".py") and not path.endswith("/__about__.py")
                    and "/templates/" not in path) or CONFIG_FILES.match(path) \
            or path in ("setup.py", "pyproject.toml", ".hatch_build.py") or path.startswith("requirements/")
        if relevant:
            parts.append(path + " " + blob)
    return (repo.path, root, "\n".join(parts))


def extract(repo, ref, commit):
    key = code_key(repo, commit, "tutor")
    meta = read_metadata(repo, commit, ["tutor"])
    if key in _CACHE:
        cached = _CACHE[key]
        return dict(cached, meta=dict(cached["meta"], version=meta["version"], versionSuffix=meta["versionSuffix"]))
    result = _extract(repo, ref, commit, meta)
    _CACHE[key] = result
    return result


def _extract(repo, ref, commit, meta):
    files = repo.files(commit)
    scripts = meta["entryPoints"].get("console_scripts", {})
    if "tutor" not in scripts:
        raise Unsupported("%s: no 'tutor' console script" % ref)
    entry_module, _, entry_func = scripts["tutor"].partition(":")
    sources, packages = python_sources(repo, commit, "tutor")
    interp = Interpreter(sources, packages, hook_aliases(sources))
    module = interp.load(entry_module)
    if module is None:
        raise Unsupported("%s: entry module %s not found" % (ref, entry_module))
    main = module.globals.get(entry_func)
    if not isinstance(main, FuncVal):
        raise Unsupported("%s: entry point %s is not a function" % (ref, scripts["tutor"]))
    interp.call_function(main, [], {})
    interp.run_actions()
    root = module.globals.get("cli")
    if not isinstance(root, CommandVal) or root.kind != "group":
        raise Unsupported("%s: no root group 'cli' in %s" % (ref, entry_module))
    if getattr(root, "dynamic_filter", None):
        for command in filter_commands(interp, root.dynamic_filter):
            root.add(command)
    plugin_groups = {}
    do_jobs = filter_commands(interp, "CLI_DO_COMMANDS")
    if do_jobs:
        for command in interp.created_commands:
            if command.kind == "group" and all(any(c is j for c in command.commands.values()) for j in do_jobs):
                plugin_groups[id(command)] = "do"
    builder = TreeBuilder(interp, plugin_groups)
    tree = builder.node(root, ["tutor"])
    facts = extract_facts(interp, builder, root, files)
    keys, key_files = config_keys(repo, commit)
    return {
        "meta": meta,
        "tree": tree,
        "facts": facts,
        "configKeys": keys,
        "configSources": key_files,
    }


def extract_facts(interp, builder, root, files):
    facts = {}
    upgrade = {}
    for mode in MODES:
        command = find(root, mode, "upgrade")
        if command is None:
            continue
        option = next((p for p in command.params if p.kind == "option" and "--from" in p.decls), None)
        if option is None:
            raise Unsupported("%s upgrade has no --from option" % mode)
        t = option.type_desc
        entry = {"choices": t["choices"] if isinstance(t, dict) else None, "source": command.module.path}
        default = option.kwargs.get("default")
        if isinstance(default, str):
            entry["default"] = default
        upgrade[mode] = entry
    facts["upgradeFrom"] = upgrade

    images = {}
    command_group = find(root, "images")
    if command_group is None:
        raise Unsupported("no 'images' group")
    for verb in ("build", "pull", "push"):
        command = find(command_group, verb)
        if command is None:
            continue
        argument = next((p for p in command.params if p.kind == "argument"), None)
        if argument is None:
            raise Unsupported("images %s has no argument" % verb)
        many = argument.kwargs.get("nargs", 1) == -1
        names, patterns, raises = builder.candidates(command, param_dest(argument), "image", many)
        t = argument.type_desc
        if isinstance(t, dict):
            names = sorted(set(names) | set(t["choices"]))
        names = [n for n in names if n != "all"]
        entry = {"names": names, "source": command.module.path,
                 "unknownFails": bool(isinstance(t, dict) or any("NotFound" in r for r in raises))}
        if patterns:
            entry["patterns"] = patterns
        images[verb] = entry
    facts["images"] = images

    for mode in MODES:
        do = find(root, mode, "do")
        if do is not None:
            facts["doJobs"] = {"names": sorted(do.commands),
                               "source": sorted({c.module.path for c in do.commands.values()})}
            break

    contexts = set()
    sources = set()
    for name in ("CLI_DO_INIT_TASKS", "COMMANDS_INIT", "COMMANDS_PRE_INIT"):
        for item in interp.registry.items.get(name, []):
            if isinstance(item.context, str):
                contexts.add(item.context)
                sources.add(item.location.rsplit(":", 1)[0])
    if contexts:
        facts["initLimit"] = {"names": sorted(contexts), "source": sorted(sources)}
    else:
        for mode in MODES:
            init = find(root, mode, "init")
            if init is None:
                continue
            option = next((p for p in init.params if p.kind == "option" and option_label(p) == "--limit"), None)
            if option is None:
                continue
            names, _patterns, _raises = builder.candidates(init, param_dest(option), "limit", False)
            facts["initLimit"] = {"names": names, "source": [init.module.path]}
            break
    return facts
