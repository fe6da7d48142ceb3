"""Command line of scripts/extract-tutor-grammar (see its header)."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys

from . import plugins as plugin_extract
from . import tutor as tutor_extract
from .gitrepo import Repo
from .interp import Unsupported

TUTOR_REPO = "overhangio/tutor"
PLUGIN_REPOS = (
    "overhangio/tutor-mfe",
    "overhangio/tutor-forum",
    "openedx/tutor-contrib-aspects",
    "overhangio/tutor-indigo",
    "overhangio/tutor-minio",
)
BRANCHES = ("verawood",)
FIRST_TAG = (3, 0, 0)
LAST_TAG = (21, 0, 8)
DEFAULT_OUT = "core/src/main/resources/io/arborist/core/catalog"
FORMAT = 1


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(prefix, value):
    return prefix + hashlib.sha256(canonical(value).encode()).hexdigest()[:12]


class Table:
    """Content-addressed storage: each distinct value once, under an id derived from its content."""

    def __init__(self, prefix):
        self.prefix = prefix
        self.values = {}

    def put(self, value):
        key = digest(self.prefix, value)
        existing = self.values.get(key)
        if existing is not None and canonical(existing) != canonical(value):
            raise Unsupported("hash collision for %s" % key)
        self.values[key] = value
        return key


def store_node(nodes, node):
    """Stores a command node and its children; returns the node id. Children are referenced by id."""
    node = dict(node)
    if "commands" in node:
        node["commands"] = [store_node(nodes, child) for child in node["commands"]]
    return nodes.put(node)


def version_key(version):
    return tuple(int(x) for x in version.split("."))


def mirror_path(mirrors, overrides, name):
    if name in overrides:
        return overrides[name]
    return os.path.join(mirrors, name.replace("/", "+"), "repo")


def log(message):
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def extract_tutor(repo, nodes, quiet):
    refs = []
    for version, tag in repo.version_tags():
        if FIRST_TAG <= version <= LAST_TAG:
            refs.append((tag, repo.commit(tag), None))
    for branch in BRANCHES:
        if not repo.has_ref(branch):
            raise Unsupported("overhangio/tutor has no branch %s" % branch)
        refs.append((branch, repo.commit(branch), branch))
    versions = []
    grammars, facts, keys, packages = {}, Table("f-"), Table("k-"), Table("p-")
    fact_versions, key_versions, package_versions = {}, {}, {}
    for ref, commit, branch in refs:
        if not quiet:
            log("tutor %s" % ref)
        out = tutor_extract.extract(repo, ref, commit)
        meta = out["meta"]
        version = meta["version"]
        if branch is None and "v" + version != ref:
            raise Unsupported("tag %s holds version %s" % (ref, version))
        root = store_node(nodes, out["tree"])
        grammars.setdefault(root, []).append(version)
        fid = facts.put(out["facts"])
        fact_versions.setdefault(fid, []).append(version)
        kid = keys.put({"keys": out["configKeys"], "source": out["configSources"]})
        key_versions.setdefault(kid, []).append(version)
        package = {
            "name": meta["name"],
            "pythonRequires": meta["pythonRequires"],
            "installRequires": meta["installRequires"],
            "extras": {k: v for k, v in sorted(meta["extras"].items()) if k == "full"},
            "source": meta["sources"].get("requirements", []),
        }
        pid = packages.put(package)
        package_versions.setdefault(pid, []).append(version)
        entry = {"version": version, "commit": commit, "grammar": root, "facts": fid, "configKeys": kid,
                 "package": pid}
        if branch is None:
            entry["tag"] = ref
        else:
            entry["branch"] = branch
        versions.append(entry)
    seen = set()
    for v in versions:
        if v["version"] in seen:
            raise Unsupported("version %s extracted twice" % v["version"])
        seen.add(v["version"])

    def table(values, users):
        return {key: dict(value, versions=users[key]) for key, value in values.items()}

    return {
        "format": FORMAT,
        "repository": TUTOR_REPO,
        "generator": "scripts/extract-tutor-grammar",
        "versions": versions,
        "grammars": [{"root": root, "versions": vs} for root, vs in sorted(grammars.items(),
                                                                           key=lambda kv: version_key(kv[1][0]))],
        "facts": table(facts.values, fact_versions),
        "configKeys": table(keys.values, key_versions),
        "packages": table(packages.values, package_versions),
    }


def put_keys(table, previous, keys):
    """Stores a key list, as a difference from the previous release's list when that is shorter."""
    if previous and previous["keys"] == keys:
        return previous["id"]
    value = {"keys": keys}
    if previous:
        base = set(previous["keys"])
        add, remove = sorted(set(keys) - base), sorted(base - set(keys))
        if len(add) + len(remove) < len(keys):
            value = {"base": previous["id"], "add": add, "remove": remove}
    key = table.put(value)
    previous.clear()
    previous.update(id=key, keys=keys)
    return key


def extract_plugins(paths, nodes, quiet):
    out = []
    key_sets = Table("c-")
    for name, repo in paths:
        releases = []
        plugin_names = set()
        previous = {}
        for version, label, commit, kind in plugin_extract.refs(repo, BRANCHES):
            if not quiet:
                log("%s %s (%s)" % (name, version, label))
            data = plugin_extract.extract(repo, commit)
            meta = data["meta"]
            plugin_names.add(data["plugin"])
            release = {
                "version": version,
                "commit": commit,
                "package": meta["name"],
                "plugin": data["plugin"],
                "api": data["api"],
                "pythonRequires": meta["pythonRequires"],
                "installRequires": meta["installRequires"],
                "images": data["images"],
                "doJobs": {job["name"]: store_node(nodes, job) for job in data["doJobs"]},
                "commands": {c["name"]: store_node(nodes, c) for c in data["commands"]},
                "initTasks": data["initTasks"],
                "configKeys": put_keys(key_sets, previous, data["configKeys"]),
                "source": {"module": data["module"], "requirements": meta["sources"].get("requirements", []),
                           "version": meta["sources"].get("version")},
            }
            if meta["version"] != version:
                release["declaredVersion"] = meta["version"]
            if kind == "tag":
                release["tag"] = label
            elif kind == "branch":
                release["branch"] = label
            else:
                release["untagged"] = True
            releases.append(release)
        for release in releases:
            release["repository"] = name
        out += releases
    return out, {k: v for k, v in sorted(key_sets.values.items())}


def render(data):
    """JSON with one table entry per line: compact, stable and readable in a diff."""
    lines = ["{"]
    keys = sorted(data)
    for i, key in enumerate(keys):
        value = data[key]
        end = "," if i + 1 < len(keys) else ""
        if isinstance(value, dict) and value:
            lines.append(json.dumps(key) + ": {")
            inner = sorted(value)
            for j, k in enumerate(inner):
                lines.append(json.dumps(k) + ": " + compact(value[k]) + ("," if j + 1 < len(inner) else ""))
            lines.append("}" + end)
        elif isinstance(value, list) and value:
            lines.append(json.dumps(key) + ": [")
            for j, v in enumerate(value):
                lines.append(compact(v) + ("," if j + 1 < len(value) else ""))
            lines.append("]" + end)
        else:
            lines.append(json.dumps(key) + ": " + compact(value) + end)
    lines.append("}")
    return "\n".join(lines) + "\n"


def compact(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def write(path, data):
    text = render(data)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return len(text.encode())


def run(argv=None):
    parser = argparse.ArgumentParser(
        prog="scripts/extract-tutor-grammar",
        description="Extract the Tutor command grammar and plugin requirements from bare git checkouts.")
    parser.add_argument("--mirrors", default="/work/.mirror",
                        help="directory holding OWNER+NAME/repo bare clones (default: %(default)s)")
    parser.add_argument("--repo", action="append", default=[], metavar="OWNER/NAME=PATH",
                        help="use this bare clone for one repository (repeatable)")
    parser.add_argument("--out", default=DEFAULT_OUT, help="output directory (default: %(default)s)")
    parser.add_argument("--check", action="store_true",
                        help="compare with the files in --out instead of writing; exit 1 when they differ")
    parser.add_argument("--quiet", action="store_true", help="do not list each version as it is read")
    args = parser.parse_args(argv)
    overrides = {}
    for spec in args.repo:
        name, _, path = spec.partition("=")
        if not path:
            parser.error("--repo takes OWNER/NAME=PATH, got %r" % spec)
        overrides[name] = path
    try:
        tutor_repo = Repo(mirror_path(args.mirrors, overrides, TUTOR_REPO))
        plugin_repos = [(name, Repo(mirror_path(args.mirrors, overrides, name))) for name in PLUGIN_REPOS]
        tutor_nodes = Table("n-")
        grammar = extract_tutor(tutor_repo, tutor_nodes, args.quiet)
        grammar["nodes"] = dict(sorted(tutor_nodes.values.items()))
        plugin_nodes = Table("n-")
        plugin_list, key_sets = extract_plugins(plugin_repos, plugin_nodes, args.quiet)
        plugins = {"format": FORMAT, "generator": "scripts/extract-tutor-grammar", "releases": plugin_list,
                   "configKeys": key_sets, "nodes": dict(sorted(plugin_nodes.values.items()))}
    except Unsupported as e:
        log("extract-tutor-grammar: not understood: %s" % e)
        return 2
    outputs = {"tutor-grammar.json": grammar, "plugins.json": plugins}
    if args.check:
        different = []
        for name, data in outputs.items():
            path = os.path.join(args.out, name)
            text = render(data)
            try:
                with open(path, encoding="utf-8") as f:
                    if f.read() != text:
                        different.append(path)
            except FileNotFoundError:
                different.append(path)
        for path in different:
            log("extract-tutor-grammar: %s differs from a fresh extraction" % path)
        return 1 if different else 0
    os.makedirs(args.out, exist_ok=True)
    for name, data in outputs.items():
        size = write(os.path.join(args.out, name), data)
        log("wrote %s (%d bytes)" % (os.path.join(args.out, name), size))
    return 0
