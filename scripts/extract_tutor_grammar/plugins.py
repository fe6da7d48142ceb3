"""Extraction of one Tutor plugin version: package metadata, images, do jobs, commands, init tasks, config keys."""

from __future__ import annotations

import re

from .grammar import TreeBuilder
from .interp import CommandVal, Interpreter, Pattern, Unsupported
from .meta import read_about, read_metadata
from .tutor import code_key, python_sources

FINAL_VERSION = re.compile(r"^\d+\.\d+\.\d+$")


def package_dir(repo, commit):
    files = repo.files(commit)
    dirs = sorted({p.split("/")[0] for p in files if re.match(r"^tutor[a-z0-9_]+/__about__\.py$", p)})
    dirs += sorted({"src/" + p.split("/")[1] for p in files if re.match(r"^src/tutor[a-z0-9_]+/__about__\.py$", p)})
    if len(dirs) != 1:
        raise Unsupported("%s@%s: expected one tutor* package with __about__.py, found %s" % (repo.path, commit[:10], dirs))
    return dirs[0]


def refs(repo, branches):
    """(version, ref label, commit, kind) for every version tag, every final version that was set in __about__.py
    without a tag (the newest commit that still has it), and each named branch tip that exists."""
    out = []
    tagged = {}
    for version, tag in repo.version_tags():
        commit = repo.commit(tag)
        tagged[".".join(map(str, version))] = (tag, commit)
    for v, (tag, commit) in tagged.items():
        out.append((v, tag, commit, "tag"))
    seen = set(tagged)
    head = repo.commit("HEAD")
    about_paths = set()
    for commit in [c for _, _, c, _ in out] + [head]:
        try:
            about_paths.add(package_dir(repo, commit) + "/__about__.py")
        except Unsupported:
            continue
    commits = []
    for path in sorted(about_paths):
        commits += repo.log_paths(path)
    last = {}
    for commit in commits:
        try:
            path = package_dir(repo, commit) + "/__about__.py"
            version, suffix, _ = read_about(repo, commit, path)
        except Unsupported:
            continue
        if suffix or not FINAL_VERSION.match(version) or version in seen or version == "0.0.0":
            continue
        last[version] = commit
    for version, commit in last.items():
        out.append((version, "commit", commit, "untagged"))
    for branch in branches:
        if repo.has_ref(branch):
            commit = repo.commit(branch)
            version, _suffix, _ = read_about(repo, commit, package_dir(repo, commit) + "/__about__.py")
            out.append((version, branch, commit, "branch"))
    return sorted(out, key=lambda r: (tuple(int(x) for x in r[0].split(".")), r[3] == "branch"))


def first(value):
    if isinstance(value, (tuple, list)) and value:
        return value[0]
    return value


def names_of(items, location_hint):
    names, patterns = set(), set()
    for item in items:
        v = first(item.value if hasattr(item, "value") else item)
        if isinstance(v, str):
            names.add(v)
        elif isinstance(v, Pattern):
            patterns.add(v.text)
        else:
            raise Unsupported("%s: %s item %r is not understood" % (getattr(item, "location", "?"), location_hint, v))
    return sorted(names), sorted(patterns)


_CACHE = {}


def extract(repo, commit):
    pkg = package_dir(repo, commit)
    meta = read_metadata(repo, commit, [pkg.split("/")[-1]])
    key = code_key(repo, commit, pkg)
    if key in _CACHE:
        cached = _CACHE[key]
        return dict(cached, meta=dict(cached["meta"], version=meta["version"], versionSuffix=meta["versionSuffix"]))
    result = _extract(repo, commit, pkg, meta)
    _CACHE[key] = result
    return result


def _extract(repo, commit, pkg, meta):
    entry = {}
    for group in ("tutor.plugin.v1", "tutor.plugin.v0"):
        for name, target in meta["entryPoints"].get(group, {}).items():
            entry[name] = (group, target.split(":")[0].strip())
    if len(entry) != 1:
        raise Unsupported("%s@%s: expected one tutor plugin entry point, found %s" % (repo.path, commit[:10], entry))
    plugin_name, (api, module_name) = next(iter(entry.items()))
    root = pkg.split("/")[-1]
    sources, packages = python_sources(repo, commit, pkg)
    if pkg.startswith("src/"):
        sources = {k[len("src."):]: v for k, v in sources.items()}
        packages = {p[len("src."):] for p in packages}
    interp = Interpreter(sources, packages, {}, opaque_values={
        "tutor.__about__": {"__version_suffix__": "", "__app__": "tutor"}})
    module = interp.load(module_name)
    if module is None:
        raise Unsupported("%s@%s: plugin module %s not found" % (repo.path, commit[:10], module_name))
    interp.run_actions()
    reg = interp.registry.items
    g = module.globals

    builder = TreeBuilder(interp, {})
    jobs = []
    for item in reg.get("CLI_DO_COMMANDS", []):
        if not isinstance(item.value, CommandVal):
            raise Unsupported("%s: a do job that is not a command the extractor can see" % item.location)
        jobs.append(builder.node(item.value, [item.value.name]))
    commands = []
    for item in reg.get("CLI_COMMANDS", []):
        if not isinstance(item.value, CommandVal):
            raise Unsupported("%s: a command the extractor cannot see" % item.location)
        commands.append(builder.node(item.value, [item.value.name]))
    v0_command = g.get("command")
    if isinstance(v0_command, CommandVal):
        commands.append(builder.node(v0_command, [plugin_name]))

    images = {}
    v0_hooks = g.get("hooks") if isinstance(g.get("hooks"), dict) else {}
    for verb, filter_name, v0_key in (("build", "IMAGES_BUILD", "build-image"), ("pull", "IMAGES_PULL", "remote-image"),
                                      ("push", "IMAGES_PUSH", "remote-image")):
        names, patterns = names_of(reg.get(filter_name, []), filter_name)
        v0 = v0_hooks.get(v0_key)
        if isinstance(v0, dict):
            names = sorted(set(names) | {k for k in v0 if isinstance(k, str)})
        if names or patterns:
            images[verb] = {"names": names}
            if patterns:
                images[verb]["patterns"] = patterns

    init = set()
    for filter_name in ("CLI_DO_INIT_TASKS", "COMMANDS_INIT", "COMMANDS_PRE_INIT"):
        for item in reg.get(filter_name, []):
            service = first(item.value)
            if isinstance(service, str):
                init.add(service)
    for key in ("init", "pre-init"):
        if isinstance(v0_hooks.get(key), (list, tuple)):
            init |= {s for s in v0_hooks[key] if isinstance(s, str)}

    keys = set()
    for filter_name in ("CONFIG_DEFAULTS", "CONFIG_UNIQUE", "CONFIG_OVERRIDES"):
        for item in reg.get(filter_name, []):
            key = first(item.value)
            if isinstance(key, str):
                keys.add(key)
    v0_config = g.get("config") if isinstance(g.get("config"), dict) else {}
    prefix = plugin_name.upper().replace("-", "_") + "_"
    for section in ("add", "defaults"):
        if isinstance(v0_config.get(section), dict):
            keys |= {prefix + k for k in v0_config[section] if isinstance(k, str)}
    if isinstance(v0_config.get("set"), dict):
        keys |= {k for k in v0_config["set"] if isinstance(k, str)}

    return {
        "meta": meta,
        "plugin": plugin_name,
        "api": api.rsplit(".", 1)[-1],
        "module": module_name,
        "doJobs": sorted(jobs, key=lambda j: j["name"]),
        "commands": sorted(commands, key=lambda c: c["name"]),
        "images": images,
        "initTasks": sorted(init),
        "configKeys": sorted(keys),
        "root": root,
    }
