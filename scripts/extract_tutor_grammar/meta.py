"""Package metadata (name, version, python_requires, install_requires, extras, entry points) of a Python project at
one commit, read from setup.py (by its AST, never executed) or pyproject.toml (+ a hatch build hook)."""

from __future__ import annotations

import ast
import re

try:
    import tomllib
except ImportError:  # pragma: no cover - Python < 3.11
    tomllib = None

from .interp import Interpreter, Unsupported

SKIP_PREFIXES = ("-r", "-c", "-e", "git+", "--", "#")


def read_about(repo, commit, path):
    """Evaluates an __about__.py: (__version__, __version_suffix__, __package_version__)."""
    text = repo.read(commit, path)
    if text is None:
        raise Unsupported("%s@%s: %s is missing" % (repo.path, commit[:10], path))
    interp = Interpreter({"about": (path, text)}, set())
    module = interp.load("about")
    g = module.globals
    version = g.get("__version__")
    suffix = g.get("__version_suffix__", "")
    package_version = g.get("__package_version__", version)
    if not isinstance(version, str):
        # The suffix is applied in an `if` on an environment-independent constant: recompute from the literal.
        version = literal_assignment(text, "__version__")
    if not isinstance(package_version, str):
        package_version = version
    if not isinstance(suffix, str):
        suffix = literal_assignment(text, "__version_suffix__") or ""
    if not isinstance(version, str):
        raise Unsupported("%s: __version__ is not a literal string" % path)
    if suffix and version.endswith("-" + suffix):
        version = version[: -len(suffix) - 1]
    return version, suffix, package_version


def literal_assignment(text, name):
    tree = ast.parse(text)
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in stmt.targets):
            if isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str):
                return stmt.value.value
    return None


def find_about(files, package_dirs):
    for d in package_dirs:
        for candidate in (d + "/__about__.py", "src/" + d + "/__about__.py"):
            if candidate in files:
                return candidate
    return None


def parse_requirement_lines(text):
    out = []
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith(SKIP_PREFIXES):
            continue
        out.append(line)
    return out


def canonical(name):
    return re.sub(r"[-_.]+", "-", name.split("[")[0]).lower()


REQ_SPLIT = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*(?:\[[^\]]*\])?)\s*(.*)$")


def apply_constraints(requirements, constraint_lines):
    by_name = {}
    order = []
    for req in requirements:
        m = REQ_SPLIT.match(req)
        if not m:
            order.append(req)
            continue
        by_name[canonical(m.group(1))] = [m.group(1), m.group(2)]
        order.append(canonical(m.group(1)))
    for line in constraint_lines:
        m = REQ_SPLIT.match(line)
        if not m:
            continue
        key = canonical(m.group(1))
        if key in by_name and not by_name[key][1]:
            by_name[key][1] = m.group(2)
    return [by_name[k][0] + by_name[k][1] if k in by_name else k for k in order]


class SetupReader:
    """Reads the fields of the setup() call of a setup.py."""

    def __init__(self, repo, commit, files):
        self.repo = repo
        self.commit = commit
        self.files = files
        self.text = repo.read(commit, "setup.py")
        self.tree = ast.parse(self.text)
        self.assigns = {}
        self.functions = {}
        for stmt in ast.walk(self.tree):
            if isinstance(stmt, ast.FunctionDef):
                self.functions[stmt.name] = stmt
        for stmt in self.tree.body:
            if isinstance(stmt, ast.Assign):
                for t in stmt.targets:
                    if isinstance(t, ast.Name):
                        self.assigns[t.id] = stmt
            if isinstance(stmt, ast.With):
                for inner in stmt.body:
                    if isinstance(inner, ast.Assign):
                        for t in inner.targets:
                            if isinstance(t, ast.Name):
                                self.assigns[t.id] = stmt
        self.call = None
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Call):
                f = node.func
                if (isinstance(f, ast.Name) and f.id == "setup") or (isinstance(f, ast.Attribute) and f.attr == "setup"):
                    self.call = node
        if self.call is None:
            raise Unsupported("setup.py@%s: no setup() call" % commit[:10])
        self.kwargs = {k.arg: k.value for k in self.call.keywords if k.arg}

    def literal(self, name):
        node = self.kwargs.get(name)
        if node is None:
            return None
        value = self.static(node)
        if value is None:
            raise Unsupported("setup.py@%s: %s=%s is not understood" % (self.commit[:10], name, ast.unparse(node)))
        return value

    def static(self, node):
        try:
            return ast.literal_eval(node)
        except (ValueError, SyntaxError, TypeError):
            pass
        if isinstance(node, ast.Name) and node.id in self.assigns:
            stmt = self.assigns[node.id]
            if isinstance(stmt, ast.Assign):
                return self.static(stmt.value)
            return self.requirement_files_of(stmt, [])
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in self.functions:
            args = [ast.literal_eval(a) for a in node.args if isinstance(a, ast.Constant)]
            return self.requirement_files_of(self.functions[node.func.id], args)
        if isinstance(node, ast.Dict):
            out = {}
            for k, v in zip(node.keys, node.values):
                key = self.static(k)
                value = self.static(v)
                if key is None or value is None:
                    return None
                out[key] = value
            return out
        if isinstance(node, ast.ListComp):
            return self.requirement_files_of(node, [])
        return None

    def requirement_files_of(self, code, args):
        """Requirements read by a helper: the files it names (arguments or constants) parsed as requirement
        files; `-c` constraint files applied when the helper handles them."""
        constants = list(args) + [n.value for n in ast.walk(code) if isinstance(n, ast.Constant)
                                  and isinstance(n.value, str)]
        paths = []
        for i, c in enumerate(constants):
            tries = [c, "requirements/" + c]
            if i + 1 < len(constants):
                tries.append(c + "/" + constants[i + 1])
            for t in tries:
                if t in self.files and t.endswith((".in", ".txt")) and t not in paths:
                    paths.append(t)
        if args:
            arg_paths = [p for p in paths if any(p.endswith(a) for a in args)]
            paths = arg_paths or paths
        if not paths:
            return None
        source = ast.unparse(code)
        constraints = "-c" in source
        out = []
        for path in paths:
            text = self.repo.read(self.commit, path)
            lines = parse_requirement_lines(text)
            if constraints:
                constraint_lines = []
                for raw in text.splitlines():
                    if raw.startswith("-c") and not raw.startswith("-c http"):
                        cpath = _join(path, raw[2:].split("#")[0].strip())
                        ctext = self.repo.read(self.commit, cpath)
                        if ctext is None:
                            raise Unsupported("setup.py@%s: constraint file %s is missing" % (self.commit[:10], cpath))
                        constraint_lines += parse_requirement_lines(ctext)
                        for craw in ctext.splitlines():
                            if craw.startswith("-c") and not craw.startswith("-c http"):
                                c2 = _join(cpath, craw[2:].split("#")[0].strip())
                                c2text = self.repo.read(self.commit, c2)
                                if c2text:
                                    constraint_lines += parse_requirement_lines(c2text)
                lines = apply_constraints(lines, constraint_lines)
            out += lines
        self.sources.append(paths)
        return out

    sources = []


def _join(base_file, relative):
    parts = base_file.split("/")[:-1] + relative.split("/")
    out = []
    for p in parts:
        if p == "..":
            out.pop()
        elif p and p != ".":
            out.append(p)
    return "/".join(out)


def entry_points_from_setup(value):
    out = {}
    if not isinstance(value, dict):
        return out
    for group, entries in value.items():
        for entry in entries:
            name, _, target = entry.partition("=")
            out.setdefault(group, {})[name.strip()] = target.strip()
    return out


def read_metadata(repo, commit, package_dirs):
    """{name, version, versionSuffix, pythonRequires, installRequires, extras, entryPoints, sources}."""
    files = repo.files(commit)
    about = find_about(files, package_dirs)
    if about is not None:
        version, suffix, package_version = read_about(repo, commit, about)
        meta = {"version": version, "versionSuffix": suffix, "sources": {"version": about}}
    else:
        meta = {"version": None, "versionSuffix": "", "sources": {}}
    if "setup.py" in files:
        SetupReader.sources = []
        reader = SetupReader(repo, commit, files)
        name = reader.literal("name")
        meta["name"] = name
        meta["pythonRequires"] = reader.literal("python_requires")
        requires = reader.literal("install_requires") or []
        meta["installRequires"] = list(requires)
        extras = reader.literal("extras_require") or {}
        meta["extras"] = {k: list(v) for k, v in extras.items()}
        meta["entryPoints"] = entry_points_from_setup(reader.literal("entry_points") or {})
        req_files = sorted({p for group in SetupReader.sources for p in group})
        meta["sources"]["requirements"] = ["setup.py"] + req_files
        version_node = reader.kwargs.get("version")
        if about is None:
            if not (isinstance(version_node, ast.Constant) and isinstance(version_node.value, str)):
                raise Unsupported("setup.py@%s: no __about__.py and version= is not a literal" % commit[:10])
            meta["version"] = version_node.value
            meta["sources"]["version"] = "setup.py"
        elif version_node is not None and "__package_version__" in ast.unparse(version_node):
            meta["version"] = package_version
        return meta
    if "pyproject.toml" in files:
        if tomllib is None:
            raise Unsupported("reading pyproject.toml needs Python >= 3.11 (tomllib)")
        project = tomllib.loads(repo.read(commit, "pyproject.toml")).get("project", {})
        if "name" not in project:
            raise Unsupported("pyproject.toml@%s has no [project] name" % commit[:10])
        meta["name"] = project["name"]
        if about is None:
            raise Unsupported("pyproject.toml@%s: no __about__.py" % commit[:10])
        meta["pythonRequires"] = project.get("requires-python")
        dynamic = set(project.get("dynamic", []))
        sources = ["pyproject.toml"]
        requires = list(project.get("dependencies", []))
        extras = {k: list(v) for k, v in project.get("optional-dependencies", {}).items()}
        if "dependencies" in dynamic or "optional-dependencies" in dynamic:
            hook = ".hatch_build.py"
            if hook not in files:
                raise Unsupported("pyproject.toml@%s: dynamic dependencies without %s" % (commit[:10], hook))
            hook_tree = ast.parse(repo.read(commit, hook))
            sources.append(hook)
            for node in ast.walk(hook_tree):
                if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Subscript):
                    key = node.targets[0].slice
                    if not isinstance(key, ast.Constant):
                        continue
                    if key.value == "dependencies":
                        requires = _hook_requirements(repo, commit, files, node.value, sources)
                    elif key.value == "optional-dependencies":
                        if not isinstance(node.value, ast.Dict):
                            raise Unsupported("%s: optional-dependencies not a dict" % hook)
                        for k, v in zip(node.value.keys, node.value.values):
                            extras[k.value] = _hook_requirements(repo, commit, files, v, sources)
        meta["installRequires"] = requires
        meta["extras"] = extras
        eps = {}
        for group, entries in project.get("entry-points", {}).items():
            eps[group] = dict(entries)
        if project.get("scripts"):
            eps["console_scripts"] = dict(project["scripts"])
        meta["entryPoints"] = eps
        meta["sources"]["requirements"] = sources
        return meta
    raise Unsupported("%s@%s: neither setup.py nor pyproject.toml" % (repo.path, commit[:10]))


def _hook_requirements(repo, commit, files, node, sources):
    if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
        name = node.args[0].value
        path = name if name in files else "requirements/" + name
        text = repo.read(commit, path)
        if text is None:
            raise Unsupported("%s: requirement file %s missing" % (commit[:10], path))
        sources.append(path)
        return parse_requirement_lines(text)
    raise Unsupported("hatch hook: %s not understood" % ast.unparse(node))
