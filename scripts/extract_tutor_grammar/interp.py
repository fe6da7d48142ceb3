"""A small abstract interpreter for the Python modules of Tutor and its plugins.

It executes module bodies and functions over values that are either concrete Python values or UNKNOWN, with
click and Tutor's hooks modelled natively, so that the command tree, the filters' items and what a command may
ask the user can be read without importing (or installing) the code. Anything click-related that it does not
understand raises Unsupported with the file and line: the extraction fails loudly instead of dropping a command.
"""

from __future__ import annotations

import ast


class Unsupported(Exception):
    """A construct of the analysed code that the extractor does not understand."""


class _Unknown:
    def __repr__(self):
        return "?"


UNKNOWN = _Unknown()


class Sym:
    """A symbolic value supplied by the user (an image name, a --limit value, an option given on the command line).

    It is truthy; comparing it with concrete strings records those strings as candidates."""

    def __init__(self, label):
        self.label = label

    def __repr__(self):
        return "<" + self.label + ">"


class Pattern:
    """A string built from known and unknown parts, e.g. f"{name}-dev" -> '*-dev'."""

    def __init__(self, text):
        self.text = text

    def __repr__(self):
        return "Pattern(" + self.text + ")"


class ReturnSignal(Exception):
    def __init__(self, value):
        self.value = value


class RaiseSignal(Exception):
    pass


class BreakSignal(Exception):
    pass


class ContinueSignal(Exception):
    pass


def where(module, node):
    return "%s:%s" % (module.path if module else "?", getattr(node, "lineno", "?"))


# ---------------------------------------------------------------------------------------------------------------
# Values


class ModuleVal:
    def __init__(self, name, path, tree, package):
        self.name = name
        self.path = path
        self.tree = tree
        self.package = package
        self.globals = {}
        self.state = "new"

    def __repr__(self):
        return "module " + self.name


class FuncVal:
    def __init__(self, node, module, closure):
        self.node = node
        self.module = module
        self.closure = closure
        self.click_params = []
        self.name = node.name

    def __repr__(self):
        return "function %s (%s)" % (self.name, where(self.module, self.node))


class ClassVal:
    def __init__(self, node, module, bases):
        self.node = node
        self.module = module
        self.bases = bases
        self.name = node.name

    def method_names(self):
        return [n.name for n in self.node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]

    def source_mentions(self, text):
        return text in ast.unparse(self.node)


class ParamVal:
    """A click.option or click.argument declaration."""

    def __init__(self, kind, decls, kwargs, type_desc, location):
        self.kind = kind
        self.decls = decls
        self.kwargs = kwargs
        self.type_desc = type_desc
        self.location = location


class CommandVal:
    def __init__(self, kind, name, callback, params, attrs, module, node, cls):
        self.kind = kind
        self.name = name
        self.callback = callback
        self.params = params
        self.attrs = attrs
        self.module = module
        self.node = node
        self.cls = cls
        self.commands = {}
        self.plugin_commands = False
        self.repl = False

    def add(self, command, name=None):
        self.commands[name or command.name] = command

    def __repr__(self):
        return "%s %s (%s)" % (self.kind, self.name, where(self.module, self.node))


class InstanceVal:
    """An object created from a class of the analysed code (opaque, but its class is known)."""

    def __init__(self, cls):
        self.cls = cls


class Native:
    """A name from a natively modelled module: click, tutor.hooks, builtins."""

    def __init__(self, path):
        self.path = path

    def __repr__(self):
        return "native " + self.path


class Bound:
    """A method looked up on a value: obj.name."""

    def __init__(self, obj, name):
        self.obj = obj
        self.name = name


class Decorator:
    def __init__(self, apply, label):
        self.apply = apply
        self.label = label


class FilterVal:
    def __init__(self, name):
        self.name = name


class ActionVal:
    def __init__(self, name):
        self.name = name


class Item:
    """A value added to a filter, with the context (app name) it was added in."""

    def __init__(self, value, context, location):
        self.value = value
        self.context = context
        self.location = location


class Registry:
    """The state Tutor's hooks would hold after loading: filter items, filter callbacks, action callbacks."""

    def __init__(self, aliases):
        self.items = {}
        self.callbacks = {}
        self.actions = {}
        self.aliases = aliases
        self.context = []

    def canonical(self, name):
        return self.aliases.get(name, name)

    def add_item(self, name, value, location):
        ctx = self.context[-1] if self.context else None
        self.items.setdefault(self.canonical(name), []).append(Item(value, ctx, location))


# ---------------------------------------------------------------------------------------------------------------
# The interpreter


BUILTIN_NAMES = {"True": True, "False": False, "None": None}
import os
NO_MEMO = bool(os.environ.get("EXTRACT_NO_MEMO"))
MAX_DEPTH = 18
MAX_ITERATIONS = 256


def truth(value):
    if value is UNKNOWN or isinstance(value, Pattern):
        return UNKNOWN
    if isinstance(value, Sym):
        return True
    try:
        return bool(value)
    except Exception:  # noqa: BLE001 - opaque objects are truthy
        return True


def concrete(value):
    """Whether a value holds no UNKNOWN, Sym or Pattern anywhere."""
    if value is UNKNOWN or isinstance(value, (Sym, Pattern)):
        return False
    if isinstance(value, (list, tuple, set)):
        return all(concrete(v) for v in value)
    if isinstance(value, dict):
        return all(concrete(k) and concrete(v) for k, v in value.items())
    return True


class Frame:
    def __init__(self, module, local):
        self.module = module
        self.local = local


class Interpreter:
    """Executes modules of one code base (Tutor at a tag, or one plugin at a tag).

    `sources` maps a dotted module name to (path, text). `native_prefixes` are module names modelled natively or
    treated as opaque (everything outside `sources`)."""

    def __init__(self, sources, packages, hook_aliases=None, opaque_values=None):
        self.sources = sources
        self.packages = packages
        self.modules = {}
        self.registry = Registry(hook_aliases or {})
        self.events = []
        self.stack = []
        self.opaque_values = opaque_values or {}
        self.created_commands = []
        self.current_location = None
        self.fn_stack = []
        self.memo = {}
        self.open_dicts = set()
        self.open_dict_refs = []

    # -- modules ------------------------------------------------------------------------------------------------

    def load(self, name):
        if name in self.modules:
            return self.modules[name]
        if name not in self.sources:
            return None
        path, text = self.sources[name]
        try:
            tree = ast.parse(text, filename=path)
        except SyntaxError as e:
            raise Unsupported("%s: cannot parse: %s" % (path, e)) from e
        package = name if name in self.packages else name.rpartition(".")[0]
        module = ModuleVal(name, path, tree, package)
        self.modules[name] = module
        parent = name.rpartition(".")[0]
        if parent and parent in self.sources:
            self.load(parent)
        module.state = "loading"
        self.exec_block(tree.body, Frame(module, None))
        module.state = "loaded"
        return module

    def import_module(self, name):
        """A module value for an import, native or interpreted; UNKNOWN for anything else."""
        native = self.native_module(name)
        if native is not None:
            return native
        module = self.load(name)
        if module is not None:
            return module
        if name + ".__init__" in self.sources:
            return self.load(name + ".__init__")
        return UNKNOWN

    def native_module(self, name):
        if name == "click" or name.startswith("click."):
            return Native("click")
        if name in ("tutor.hooks", "tutor.core.hooks") or name.startswith(("tutor.hooks.", "tutor.core.hooks.")):
            if name.endswith(".priorities"):
                return Native("hooks.priorities")
            return Native("hooks")
        if name == "click_repl":
            return Native("click_repl")
        if name in self.opaque_values:
            return Native("opaque:" + name)
        return None

    def resolve_relative(self, module, level, name):
        package = module.package
        if level:
            parts = package.split(".")
            if level > 1:
                parts = parts[: len(parts) - (level - 1)]
            base = ".".join(parts)
            return base + ("." + name if name else "")
        return name

    # -- statements ---------------------------------------------------------------------------------------------

    def lookup(self, frame, name, node):
        if frame.local is not None and name in frame.local:
            return frame.local[name]
        if name in frame.module.globals:
            return frame.module.globals[name]
        if name in BUILTIN_NAMES:
            return BUILTIN_NAMES[name]
        return Native("builtins." + name)

    def assign(self, frame, target, value):
        scope = frame.local if frame.local is not None else frame.module.globals
        if isinstance(target, ast.Name):
            scope[target.id] = value
        elif isinstance(target, (ast.Tuple, ast.List)):
            values = None
            if isinstance(value, (list, tuple)) and not any(isinstance(e, ast.Starred) for e in target.elts):
                if len(value) == len(target.elts):
                    values = list(value)
            for i, element in enumerate(target.elts):
                if isinstance(element, ast.Starred):
                    self.assign(frame, element.value, UNKNOWN)
                else:
                    self.assign(frame, element, values[i] if values is not None else UNKNOWN)
        elif isinstance(target, ast.Subscript):
            container = self.eval(frame, target.value)
            key = self.eval(frame, target.slice)
            if isinstance(container, dict) and concrete(key):
                try:
                    container[key] = value
                except TypeError:
                    pass
        elif isinstance(target, ast.Attribute):
            self.eval(frame, target.value)
        elif isinstance(target, ast.Starred):
            self.assign(frame, target.value, UNKNOWN)

    def exec_block(self, body, frame):
        for stmt in body:
            self.exec_stmt(stmt, frame)

    def exec_stmt(self, stmt, frame):
        module = frame.module
        if isinstance(stmt, ast.Expr):
            self.eval(frame, stmt.value)
        elif isinstance(stmt, ast.Assign):
            value = self.eval(frame, stmt.value)
            for target in stmt.targets:
                self.assign(frame, target, value)
        elif isinstance(stmt, ast.AnnAssign):
            if stmt.value is not None:
                self.assign(frame, stmt.target, self.eval(frame, stmt.value))
        elif isinstance(stmt, ast.AugAssign):
            self.exec_augassign(stmt, frame)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.exec_def(stmt, frame)
        elif isinstance(stmt, ast.ClassDef):
            bases = [self.eval(frame, b) for b in stmt.bases]
            for d in stmt.decorator_list:
                self.eval(frame, d)
            self.assign(frame, ast.Name(id=stmt.name), ClassVal(stmt, module, bases))
        elif isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    self.assign(frame, ast.Name(id=alias.asname), self.import_module(alias.name))
                else:
                    top = alias.name.split(".")[0]
                    self.import_module(alias.name)
                    self.assign(frame, ast.Name(id=top), self.import_module(top))
        elif isinstance(stmt, ast.ImportFrom):
            self.exec_importfrom(stmt, frame)
        elif isinstance(stmt, ast.If):
            self.exec_if(stmt, frame)
        elif isinstance(stmt, (ast.For, ast.AsyncFor)):
            self.exec_for(stmt, frame)
        elif isinstance(stmt, ast.While):
            self.eval(frame, stmt.test)
            self.exec_loop_body(stmt.body, frame)
            self.exec_guarded(stmt.orelse, frame)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            self.exec_with(stmt, frame)
        elif isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
            self.exec_guarded(stmt.body, frame)
            for handler in stmt.handlers:
                if handler.name:
                    self.assign(frame, ast.Name(id=handler.name), UNKNOWN)
                self.exec_guarded(handler.body, frame)
            self.exec_guarded(stmt.orelse, frame)
            self.exec_block(stmt.finalbody, frame)
        elif isinstance(stmt, ast.Return):
            raise ReturnSignal(self.eval(frame, stmt.value) if stmt.value is not None else None)
        elif isinstance(stmt, ast.Raise):
            if stmt.exc is not None:
                exc = self.eval(frame, stmt.exc)
                self.events.append(("raise", exc, where(module, stmt)))
            raise RaiseSignal()
        elif isinstance(stmt, ast.Break):
            raise BreakSignal()
        elif isinstance(stmt, ast.Continue):
            raise ContinueSignal()
        elif isinstance(stmt, ast.Assert):
            self.eval(frame, stmt.test)
        elif isinstance(stmt, ast.Delete):
            pass
        elif isinstance(stmt, (ast.Pass, ast.Global, ast.Nonlocal)):
            pass
        elif type(stmt).__name__ == "Match":
            self.eval(frame, stmt.subject)
            for case in stmt.cases:
                self.exec_guarded(case.body, frame)
        else:
            raise Unsupported("%s: statement %s not understood" % (where(module, stmt), type(stmt).__name__))

    def exec_guarded(self, body, frame):
        """Runs a block that may or may not run: a return, raise or break inside only ends that block."""
        try:
            self.exec_block(body, frame)
        except (ReturnSignal, RaiseSignal, BreakSignal, ContinueSignal):
            pass

    def exec_augassign(self, stmt, frame):
        value = self.eval(frame, stmt.value)
        if isinstance(stmt.target, ast.Name):
            current = self.lookup(frame, stmt.target.id, stmt)
            if isinstance(stmt.op, ast.Add) and isinstance(current, list):
                if isinstance(value, (list, tuple)):
                    current.extend(value)
                return
            self.assign(frame, stmt.target, self.binop(stmt.op, current, value))
        else:
            self.eval(frame, stmt.target.value)

    def exec_def(self, stmt, frame):
        closure = frame.local
        function = FuncVal(stmt, frame.module, dict(closure) if closure is not None else None)
        if closure is not None:
            function.closure = closure
        value = function
        location = where(frame.module, stmt)
        for decorator_node in reversed(stmt.decorator_list):
            decorator = self.eval(frame, decorator_node)
            value = self.apply_decorator(decorator, value, frame, decorator_node, location)
        self.assign(frame, ast.Name(id=stmt.name), value)

    def apply_decorator(self, decorator, value, frame, node, location):
        if isinstance(decorator, Decorator):
            return decorator.apply(value, location)
        if isinstance(decorator, CommandVal):
            raise Unsupported("%s: a command used as a decorator" % location)
        is_click = isinstance(value, CommandVal) or (isinstance(value, FuncVal) and value.click_params)
        if is_click:
            raise Unsupported("%s: decorator %s on a click command is not understood" % (location, ast.unparse(node)))
        if isinstance(decorator, (FuncVal, Native)) or decorator is UNKNOWN:
            return UNKNOWN if isinstance(decorator, FuncVal) else value
        return value

    def exec_importfrom(self, stmt, frame):
        module_name = self.resolve_relative(frame.module, stmt.level, stmt.module or "")
        base = self.import_module(module_name) if module_name else UNKNOWN
        for alias in stmt.names:
            target = alias.asname or alias.name
            if alias.name == "*":
                if isinstance(base, ModuleVal):
                    for k, v in base.globals.items():
                        if not k.startswith("_"):
                            self.assign(frame, ast.Name(id=k), v)
                continue
            value = UNKNOWN
            if isinstance(base, ModuleVal) and alias.name in base.globals:
                value = base.globals[alias.name]
            elif isinstance(base, Native):
                value = self.native_attr(base, alias.name)
            else:
                sub = module_name + "." + alias.name if module_name else alias.name
                imported = self.import_module(sub)
                if imported is not UNKNOWN:
                    value = imported
                elif isinstance(base, Native):
                    value = self.native_attr(base, alias.name)
                elif isinstance(base, ModuleVal):
                    value = base.globals.get(alias.name, UNKNOWN)
            self.assign(frame, ast.Name(id=target), value)

    def exec_if(self, stmt, frame):
        test = self.eval(frame, stmt.test)
        if isinstance(stmt.test, ast.Compare) and ast.unparse(stmt.test) == "__name__ == '__main__'":
            return
        t = truth(test)
        if t is True:
            self.exec_block(stmt.body, frame)
        elif t is False:
            self.exec_block(stmt.orelse, frame)
        else:
            self.exec_branches([stmt.body, stmt.orelse], frame)

    def exec_branches(self, branches, frame):
        """Runs each branch on a copy of the local names; names that end up different become UNKNOWN."""
        scope = frame.local if frame.local is not None else frame.module.globals
        before = dict(scope)
        results = []
        for body in branches:
            scope.clear()
            scope.update(before)
            self.exec_guarded(body, frame)
            results.append(dict(scope))
        scope.clear()
        keys = set().union(*[set(r) for r in results])
        for key in keys:
            values = [r.get(key, UNKNOWN) for r in results]
            first = values[0]
            same = all(v is first for v in values) or (
                all(concrete(v) and type(v) in (str, int, bool, type(None)) for v in values) and len(set(values)) == 1)
            scope[key] = first if same else UNKNOWN

    def exec_for(self, stmt, frame):
        iterable = self.eval(frame, stmt.iter)
        values = self.iterate(iterable)
        if values is None:
            self.assign(frame, stmt.target, UNKNOWN)
            self.exec_loop_body(stmt.body, frame)
        else:
            for value in values[:MAX_ITERATIONS]:
                self.assign(frame, stmt.target, value)
                try:
                    self.exec_block(stmt.body, frame)
                except ContinueSignal:
                    continue
                except BreakSignal:
                    break
        self.exec_guarded(stmt.orelse, frame)

    def exec_loop_body(self, body, frame):
        try:
            self.exec_block(body, frame)
        except (BreakSignal, ContinueSignal):
            pass

    def exec_with(self, stmt, frame):
        pushed = 0
        for item in stmt.items:
            value = self.eval(frame, item.context_expr)
            if isinstance(value, tuple) and len(value) == 2 and value[0] == "hooks-context":
                self.registry.context.append(value[1])
                pushed += 1
            if item.optional_vars is not None:
                self.assign(frame, item.optional_vars, UNKNOWN)
        try:
            self.exec_block(stmt.body, frame)
        finally:
            for _ in range(pushed):
                self.registry.context.pop()

    def iterate(self, value):
        """The elements of a value as a list, or None when they are not known."""
        if isinstance(value, (list, tuple)):
            return list(value)
        if isinstance(value, (set, frozenset)):
            try:
                return sorted(value)
            except TypeError:
                return list(value)
        if isinstance(value, dict):
            return list(value.keys())
        if isinstance(value, str):
            return list(value)
        if isinstance(value, _DictView):
            return value.elements()
        return None

    # -- functions ----------------------------------------------------------------------------------------------

    def call_function(self, function, args, kwargs, location=None):
        """Calls a function of the analysed code. Calls with only immutable arguments are memoised per depth,
        their events replayed."""
        memo_key = None
        if function.closure is None and all(_memoisable(a) for a in args) \
                and all(_memoisable(v) for v in kwargs.values()):
            memo_key = (id(function.node), len(self.stack), tuple(_memo_token(a) for a in args),
                        tuple(sorted((k, _memo_token(v)) for k, v in kwargs.items())))
            hit = self.memo.get(memo_key) if not NO_MEMO else None
            if hit is not None:
                self.events.extend(hit[1])
                return hit[0]
        start = len(self.events)
        result = self._call_function(function, args, kwargs)
        if memo_key is not None and _memoisable(result):
            self.memo[memo_key] = (result, list(self.events[start:]))
        return result

    def _call_function(self, function, args, kwargs):
        node = function.node
        key = id(node)
        if len(self.stack) >= MAX_DEPTH or key in self.stack:
            return UNKNOWN
        local = {}
        if function.closure is not None:
            local.update(function.closure)
        frame = Frame(function.module, local)
        a = node.args
        positional = list(a.posonlyargs) + list(a.args)
        defaults = [None] * (len(positional) - len(a.defaults)) + list(a.defaults)
        extra = list(args[len(positional):])
        for i, param in enumerate(positional):
            if i < len(args):
                local[param.arg] = args[i]
            elif param.arg in kwargs:
                local[param.arg] = kwargs[param.arg]
            elif defaults[i] is not None:
                local[param.arg] = self.eval(Frame(function.module, function.closure), defaults[i])
            else:
                local[param.arg] = UNKNOWN
        for param, default in zip(a.kwonlyargs, a.kw_defaults):
            if param.arg in kwargs:
                local[param.arg] = kwargs[param.arg]
            elif default is not None:
                local[param.arg] = self.eval(Frame(function.module, function.closure), default)
            else:
                local[param.arg] = UNKNOWN
        if a.vararg:
            local[a.vararg.arg] = tuple(extra)
        if a.kwarg:
            known = {p.arg for p in positional} | {p.arg for p in a.kwonlyargs}
            local[a.kwarg.arg] = {k: v for k, v in kwargs.items() if k not in known}
        for raise_node in static_raises(node):
            self.events.append(("raises", raise_node, where(function.module, node)))
        self.stack.append(key)
        self.fn_stack.append(function.name)
        try:
            self.exec_block(node.body, frame)
            result = None
        except ReturnSignal as r:
            result = r.value
        except (RaiseSignal, BreakSignal, ContinueSignal):
            result = UNKNOWN
        finally:
            self.stack.pop()
            self.fn_stack.pop()
        if is_generator(node):
            return UNKNOWN
        return result

    # -- expressions --------------------------------------------------------------------------------------------

    def eval(self, frame, node):
        method = getattr(self, "eval_" + type(node).__name__, None)
        if method is None:
            return UNKNOWN
        return method(frame, node)

    def eval_Constant(self, frame, node):
        return node.value

    def eval_Name(self, frame, node):
        return self.lookup(frame, node.id, node)

    def eval_List(self, frame, node):
        out = []
        for e in node.elts:
            if isinstance(e, ast.Starred):
                v = self.eval(frame, e.value)
                elements = self.iterate(v)
                if elements is None:
                    return UNKNOWN
                out.extend(elements)
            else:
                out.append(self.eval(frame, e))
        return out

    def eval_Tuple(self, frame, node):
        v = self.eval_List(frame, node)
        return tuple(v) if isinstance(v, list) else v

    def eval_Set(self, frame, node):
        v = self.eval_List(frame, node)
        return v

    def eval_Dict(self, frame, node):
        out = {}
        for k, v in zip(node.keys, node.values):
            value = self.eval(frame, v)
            if k is None:
                if isinstance(value, dict):
                    out.update(value)
                continue
            key = self.eval(frame, k)
            if concrete(key):
                try:
                    out[key] = value
                except TypeError:
                    pass
        return out

    def eval_JoinedStr(self, frame, node):
        parts = []
        known = True
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
            else:
                v = self.eval(frame, value.value)
                if isinstance(v, (str, int)) and not isinstance(v, bool) and value.format_spec is None \
                        and value.conversion == -1:
                    parts.append(str(v))
                elif isinstance(v, Pattern):
                    parts.append(v.text)
                    known = False
                else:
                    parts.append("*")
                    known = False
        text = "".join(parts)
        return text if known else Pattern(text)

    def eval_FormattedValue(self, frame, node):
        return UNKNOWN

    def eval_Attribute(self, frame, node):
        base = self.eval(frame, node.value)
        return self.attr(base, node.attr, node, frame)

    def attr(self, base, name, node=None, frame=None):
        if isinstance(base, ModuleVal):
            if name in base.globals:
                return base.globals[name]
            sub = self.import_module(base.name + "." + name)
            if sub is not UNKNOWN:
                return sub
            return UNKNOWN
        if isinstance(base, Native):
            return self.native_attr(base, name)
        if isinstance(base, FilterVal):
            return Bound(base, name)
        if isinstance(base, ActionVal):
            return Bound(base, name)
        if isinstance(base, CommandVal):
            if name == "callback":
                return base.callback if base.callback is not None else UNKNOWN
            if name == "name":
                return base.name
            if name == "commands":
                return dict(base.commands)
            return Bound(base, name)
        if isinstance(base, (list, dict, str, tuple, _DictView)):
            return Bound(base, name)
        if isinstance(base, ClassVal):
            return UNKNOWN
        if isinstance(base, InstanceVal):
            return Bound(UNKNOWN, name)
        if isinstance(base, FuncVal):
            return UNKNOWN
        if base is UNKNOWN or isinstance(base, (Sym, Pattern)):
            return Bound(UNKNOWN, name)
        return UNKNOWN

    def eval_Subscript(self, frame, node):
        base = self.eval(frame, node.value)
        if isinstance(node.slice, ast.Slice):
            lower = self.eval(frame, node.slice.lower) if node.slice.lower else None
            upper = self.eval(frame, node.slice.upper) if node.slice.upper else None
            if isinstance(base, (list, tuple, str)) and all(x is None or isinstance(x, int) for x in (lower, upper)):
                return base[lower:upper] if not isinstance(base, list) else list(base[lower:upper])
            return UNKNOWN
        key = self.eval(frame, node.slice)
        if isinstance(base, (list, tuple)) and isinstance(key, int) and not isinstance(key, bool):
            try:
                return base[key]
            except IndexError:
                return UNKNOWN
        if isinstance(base, dict) and concrete(key):
            if id(base) in self.open_dicts:
                return UNKNOWN
            try:
                return base.get(key, UNKNOWN)
            except TypeError:
                return UNKNOWN
        if isinstance(base, Native) or isinstance(base, ClassVal):
            return UNKNOWN
        return UNKNOWN

    def eval_Starred(self, frame, node):
        return self.eval(frame, node.value)

    def eval_UnaryOp(self, frame, node):
        v = self.eval(frame, node.operand)
        if isinstance(node.op, ast.Not):
            t = truth(v)
            return UNKNOWN if t is UNKNOWN else (not t)
        if isinstance(node.op, ast.USub) and isinstance(v, (int, float)) and not isinstance(v, bool):
            return -v
        return UNKNOWN

    def eval_BoolOp(self, frame, node):
        unknown = False
        value = None
        for operand in node.values:
            value = self.eval(frame, operand)
            t = truth(value)
            if t is UNKNOWN:
                unknown = True
                continue
            if isinstance(node.op, ast.And) and t is False:
                return False if unknown else value
            if isinstance(node.op, ast.Or) and t is True:
                return True if unknown else value
        return UNKNOWN if unknown else value

    def eval_IfExp(self, frame, node):
        t = truth(self.eval(frame, node.test))
        if t is True:
            return self.eval(frame, node.body)
        if t is False:
            return self.eval(frame, node.orelse)
        a = self.eval(frame, node.body)
        b = self.eval(frame, node.orelse)
        if concrete(a) and concrete(b) and type(a) is type(b) and a == b:
            return a
        return UNKNOWN

    def eval_NamedExpr(self, frame, node):
        value = self.eval(frame, node.value)
        self.assign(frame, node.target, value)
        return value

    def binop(self, op, a, b):
        if isinstance(op, ast.Add):
            if isinstance(a, list) and isinstance(b, (list, tuple)):
                return a + list(b)
            if isinstance(a, tuple) and isinstance(b, tuple):
                return a + b
            if isinstance(a, str) and isinstance(b, str):
                return a + b
            if isinstance(a, (str, Pattern)) and isinstance(b, (str, Pattern)) or \
                    (isinstance(a, (str, Pattern)) and b is UNKNOWN) or (a is UNKNOWN and isinstance(b, (str, Pattern))):
                ta = a.text if isinstance(a, Pattern) else ("*" if a is UNKNOWN else a)
                tb = b.text if isinstance(b, Pattern) else ("*" if b is UNKNOWN else b)
                return Pattern(ta + tb)
            if isinstance(a, int) and isinstance(b, int):
                return a + b
        if isinstance(op, ast.Mod) and isinstance(a, str) and concrete(b):
            try:
                return a % b
            except Exception:  # noqa: BLE001
                return UNKNOWN
        if isinstance(op, ast.BitOr) and isinstance(a, dict) and isinstance(b, dict):
            return {**a, **b}
        if isinstance(op, ast.Mult) and isinstance(a, list) and isinstance(b, int):
            return a * b
        return UNKNOWN

    def eval_BinOp(self, frame, node):
        return self.binop(node.op, self.eval(frame, node.left), self.eval(frame, node.right))

    def record_candidates(self, sym, other):
        values = []
        if isinstance(other, (str, Pattern)):
            values = [other]
        elif isinstance(other, (list, tuple, set)):
            values = [v for v in other if isinstance(v, (str, Pattern))]
        for v in values:
            self.events.append(("candidate", sym.label, v.text if isinstance(v, Pattern) else v, True if isinstance(v, Pattern) else False))

    def eval_Compare(self, frame, node):
        left = self.eval(frame, node.left)
        result = True
        for op, right_node in zip(node.ops, node.comparators):
            right = self.eval(frame, right_node)
            r = self.compare(op, left, right)
            if r is False:
                return False
            if r is UNKNOWN:
                result = UNKNOWN
            left = right
        return result

    def compare(self, op, a, b):
        if isinstance(a, Sym) or isinstance(b, Sym):
            sym, other = (a, b) if isinstance(a, Sym) else (b, a)
            if isinstance(op, (ast.Is, ast.IsNot)) and other is None:
                return isinstance(op, ast.IsNot)
            if isinstance(op, (ast.Eq, ast.NotEq, ast.In, ast.NotIn)):
                self.record_candidates(sym, other)
            return UNKNOWN
        if not concrete(a) or not concrete(b):
            if isinstance(op, (ast.Is, ast.IsNot)) and b is None and a is not UNKNOWN and not isinstance(a, (Sym, Pattern)):
                return (a is None) == isinstance(op, ast.Is)
            return UNKNOWN
        try:
            if isinstance(op, ast.Eq):
                return a == b
            if isinstance(op, ast.NotEq):
                return a != b
            if isinstance(op, ast.In):
                return a in b
            if isinstance(op, ast.NotIn):
                return a not in b
            if isinstance(op, ast.Is):
                return a is b
            if isinstance(op, ast.IsNot):
                return a is not b
            if isinstance(op, ast.Lt):
                return a < b
            if isinstance(op, ast.LtE):
                return a <= b
            if isinstance(op, ast.Gt):
                return a > b
            if isinstance(op, ast.GtE):
                return a >= b
        except TypeError:
            return UNKNOWN
        return UNKNOWN

    def eval_Lambda(self, frame, node):
        return UNKNOWN

    def comprehension(self, frame, generators, produce):
        local = dict(frame.local) if frame.local is not None else {}
        inner = Frame(frame.module, local)
        if frame.local is None:
            inner.local = {}
        out = []

        def walk(index):
            if index == len(generators):
                out.append(produce(inner))
                return True
            gen = generators[index]
            values = self.iterate(self.eval(inner, gen.iter))
            if values is None:
                return False
            for value in values[:MAX_ITERATIONS]:
                self.assign(inner, gen.target, value)
                keep = True
                for condition in gen.ifs:
                    t = truth(self.eval(inner, condition))
                    if t is False:
                        keep = False
                    elif t is UNKNOWN:
                        return False
                if keep and not walk(index + 1):
                    return False
            return True

        return out if walk(0) else UNKNOWN

    def eval_ListComp(self, frame, node):
        return self.comprehension(frame, node.generators, lambda f: self.eval(f, node.elt))

    def eval_SetComp(self, frame, node):
        return self.eval_ListComp(frame, node)

    def eval_GeneratorExp(self, frame, node):
        return self.eval_ListComp(frame, node)

    def eval_DictComp(self, frame, node):
        pairs = self.comprehension(frame, node.generators,
                                   lambda f: (self.eval(f, node.key), self.eval(f, node.value)))
        if pairs is UNKNOWN:
            return UNKNOWN
        out = {}
        for k, v in pairs:
            if concrete(k):
                out[k] = v
        return out

    def eval_Await(self, frame, node):
        return self.eval(frame, node.value)

    def eval_Yield(self, frame, node):
        if node.value is not None:
            self.eval(frame, node.value)
        return UNKNOWN

    def eval_YieldFrom(self, frame, node):
        self.eval(frame, node.value)
        return UNKNOWN

    def eval_Call(self, frame, node):
        func = self.eval(frame, node.func)
        args = []
        for a in node.args:
            if isinstance(a, ast.Starred):
                v = self.eval(frame, a.value)
                elements = self.iterate(v)
                if elements is None:
                    args.append(UNKNOWN)
                else:
                    args.extend(elements)
            else:
                args.append(self.eval(frame, a))
        kwargs = {}
        for k in node.keywords:
            v = self.eval(frame, k.value)
            if k.arg is None:
                if isinstance(v, dict):
                    kwargs.update({key: value for key, value in v.items() if isinstance(key, str)})
            else:
                kwargs[k.arg] = v
        location = where(frame.module, node)
        previous = self.current_location
        self.current_location = location
        try:
            return self.call(func, args, kwargs, node, frame, location)
        finally:
            self.current_location = previous

    def call(self, func, args, kwargs, node, frame, location):
        if isinstance(func, FuncVal):
            return self.call_function(func, args, kwargs, location)
        if isinstance(func, Native):
            return self.call_native(func.path, args, kwargs, node, frame, location)
        if isinstance(func, Bound):
            return self.call_method(func.obj, func.name, args, kwargs, node, frame, location)
        if isinstance(func, Decorator):
            if len(args) == 1:
                return func.apply(args[0], location)
            return UNKNOWN
        if isinstance(func, CommandVal):
            return UNKNOWN
        if isinstance(func, ClassVal):
            return InstanceVal(func)
        return UNKNOWN

    # -- native models: builtins, click, hooks ------------------------------------------------------------------

    def native_attr(self, base, name):
        path = base.path
        if path.startswith("opaque:"):
            values = self.opaque_values.get(path[len("opaque:"):], {})
            return values.get(name, UNKNOWN)
        if path == "hooks":
            if name == "Filters":
                return Native("hooks.Filters")
            if name == "Actions":
                return Native("hooks.Actions")
            if name == "Contexts":
                return Native("hooks.Contexts")
            if name == "filters":
                return Native("hooks.filters")
            if name == "actions":
                return Native("hooks.actions")
            if name == "priorities":
                return Native("hooks.priorities")
            if name in ("Filter", "Action", "Context"):
                return Native("hooks." + name)
            return Native("hooks." + name)
        if path == "hooks.Filters":
            return FilterVal(self.registry.canonical(name))
        if path == "hooks.Actions":
            return ActionVal(name)
        if path in ("hooks.priorities",):
            return UNKNOWN
        return Native(path + "." + name)

    def call_native(self, path, args, kwargs, node, frame, location):
        if path.startswith("click."):
            return self.call_click(path[len("click."):], args, kwargs, node, frame, location)
        if path.startswith("hooks."):
            return self.call_hooks(path[len("hooks."):], args, kwargs, node, frame, location)
        if path == "click_repl.register_repl":
            group = args[0] if args else UNKNOWN
            if not isinstance(group, CommandVal):
                raise Unsupported("%s: register_repl on %r" % (location, group))
            repl = CommandVal("command", kwargs.get("name", "repl"), None, [], {}, frame.module, node, None)
            repl.repl = True
            group.add(repl)
            return None
        if path.startswith("builtins."):
            return self.call_builtin(path[len("builtins."):], args, kwargs)
        if path.startswith("opaque:"):
            return UNKNOWN
        return UNKNOWN

    def call_builtin(self, name, args, kwargs):
        if name in ("list", "tuple", "set", "frozenset", "sorted"):
            if not args:
                return [] if name in ("list", "sorted", "set", "frozenset") else ()
            values = self.iterate(args[0])
            if values is None:
                return UNKNOWN
            if name == "sorted":
                try:
                    return sorted(values, key=lambda v: v) if concrete(values) else UNKNOWN
                except TypeError:
                    return UNKNOWN
            return tuple(values) if name == "tuple" else list(values)
        if name == "dict":
            out = {}
            if args:
                if isinstance(args[0], dict):
                    out.update(args[0])
                else:
                    values = self.iterate(args[0])
                    if values is None:
                        return UNKNOWN
                    for pair in values:
                        if isinstance(pair, (list, tuple)) and len(pair) == 2 and concrete(pair[0]):
                            out[pair[0]] = pair[1]
            out.update(kwargs)
            return out
        if name == "len":
            values = self.iterate(args[0]) if args else None
            return len(values) if values is not None else UNKNOWN
        if name in ("str",) and args and isinstance(args[0], (str, int)) and not isinstance(args[0], bool):
            return str(args[0])
        if name == "enumerate" and args:
            values = self.iterate(args[0])
            return list(enumerate(values)) if values is not None else UNKNOWN
        if name == "zip":
            lists = [self.iterate(a) for a in args]
            return UNKNOWN if any(v is None for v in lists) else list(zip(*lists))
        if name in ("print", "setattr"):
            return None
        return UNKNOWN

    def call_method(self, obj, name, args, kwargs, node, frame, location):
        if isinstance(obj, FilterVal):
            return self.call_filter(obj, name, args, kwargs, location)
        if isinstance(obj, ActionVal):
            return self.call_action(obj, name, args, kwargs, location)
        if isinstance(obj, CommandVal):
            return self.call_command_method(obj, name, args, kwargs, node, frame, location)
        if isinstance(obj, list):
            if name == "append" and args:
                obj.append(args[0])
                return None
            if name == "extend" and args:
                values = self.iterate(args[0])
                if values is not None:
                    obj.extend(values)
                return None
            if name == "insert" and len(args) == 2:
                obj.append(args[1])
                return None
            if name == "copy":
                return list(obj)
            if name in ("remove", "pop", "clear", "sort", "reverse"):
                return UNKNOWN
            return UNKNOWN
        if isinstance(obj, dict):
            if name == "items":
                return _DictView(obj, "items")
            if name == "keys":
                return _DictView(obj, "keys")
            if name == "values":
                return _DictView(obj, "values")
            if name == "get" and args and concrete(args[0]):
                try:
                    if id(obj) in self.open_dicts:
                        return UNKNOWN
                    return obj.get(args[0], args[1] if len(args) > 1 else None)
                except TypeError:
                    return UNKNOWN
            if name == "update":
                if args and isinstance(args[0], dict):
                    obj.update(args[0])
                else:
                    self.open_dicts.add(id(obj))
                    self.open_dict_refs.append(obj)
                return None
            if name == "copy":
                return dict(obj)
            if name == "setdefault" and args and concrete(args[0]):
                return obj.setdefault(args[0], args[1] if len(args) > 1 else None)
            return UNKNOWN
        if isinstance(obj, str):
            if name in ("upper", "lower", "strip", "lstrip", "rstrip", "title", "capitalize") and not args:
                return getattr(obj, name)()
            if name == "format" and concrete(args) and concrete(kwargs):
                try:
                    return obj.format(*args, **kwargs)
                except Exception:  # noqa: BLE001
                    return UNKNOWN
            if name in ("replace", "startswith", "endswith", "split", "join") and concrete(args):
                try:
                    return getattr(obj, name)(*args)
                except Exception:  # noqa: BLE001
                    return UNKNOWN
            return UNKNOWN
        if isinstance(obj, _DictView):
            return UNKNOWN
        if isinstance(obj, tuple) and len(obj) == 2 and obj[0] == "hooks-app" and name == "enter":
            return ("hooks-context", obj[1])
        # An unknown object: a click context's invoke, or anything else.
        if name in ("invoke", "forward") and args and isinstance(args[0], CommandVal):
            command = args[0]
            if command.callback is None:
                return UNKNOWN
            params = self.default_params(command)
            params.update(kwargs)
            return self.invoke_callback(command, params)
        if name in ("invoke",) and args and isinstance(args[0], FuncVal):
            return self.call_function(args[0], list(args[1:]), kwargs, location)
        return UNKNOWN

    def call_command_method(self, command, name, args, kwargs, node, frame, location):
        if name == "add_command":
            sub = args[0] if args else kwargs.get("cmd", UNKNOWN)
            cmd_name = args[1] if len(args) > 1 else kwargs.get("name")
            if not isinstance(sub, CommandVal) and "add_plugin_commands" in self.fn_stack:
                command.plugin_commands = True
                return None
            if not isinstance(sub, CommandVal):
                raise Unsupported("%s: %s.add_command(%s): not a command the extractor can see"
                                  % (location, command.name, ast.unparse(node.args[0]) if node.args else "?"))
            if cmd_name is not None and not isinstance(cmd_name, str):
                raise Unsupported("%s: add_command with a computed name" % location)
            command.add(sub, cmd_name)
            return None
        if name in ("command", "group"):
            return self.click_decorator_factory(name, args, kwargs, frame, node, location, parent=command)
        if name in ("get_command",) and len(args) >= 2 and isinstance(args[1], str):
            return command.commands.get(args[1], None)
        if name == "main" or name == "__call__":
            return None
        if name == "make_context":
            return UNKNOWN
        return UNKNOWN

    def default_params(self, command):
        values = {}
        for param in command.params:
            dest = param_dest(param)
            if dest is None:
                continue
            values[dest] = param_default(param)
        return values

    def invoke_callback(self, command, params):
        function = command.callback
        if not isinstance(function, FuncVal):
            return UNKNOWN
        names = [a.arg for a in function.node.args.args]
        args = []
        kwargs = {}
        for n in names:
            if n in params:
                kwargs[n] = params[n]
        # pass_context / pass_obj: the first positional parameter not named after a click parameter
        first = [n for n in names if n not in params]
        for n in first:
            kwargs[n] = UNKNOWN
        return self.call_function(function, args, kwargs)

    # click ------------------------------------------------------------------------------------------------------

    CLICK_PARAM_KWARGS = {
        "type", "required", "default", "multiple", "nargs", "is_flag", "flag_value", "count", "help", "show_default",
        "envvar", "metavar", "prompt", "hide_input", "confirmation_prompt", "callback", "expose_value", "is_eager",
        "hidden", "show_envvar", "show_choices", "allow_from_autoenv", "shell_complete", "autocompletion",
        "prompt_required", "case_sensitive",
    }
    CLICK_COMMAND_KWARGS = {
        "name", "help", "short_help", "cls", "context_settings", "invoke_without_command", "no_args_is_help", "chain",
        "add_help_option", "subcommand_metavar", "hidden", "epilog", "options_metavar", "deprecated",
        "result_callback", "commands",
    }
    CONTEXT_SETTINGS = {"ignore_unknown_options", "allow_extra_args", "allow_interspersed_args",
                        "help_option_names", "max_content_width", "show_default", "terminal_width"}

    def call_click(self, name, args, kwargs, node, frame, location):
        if name in ("option", "argument"):
            return self.click_param(name, args, kwargs, node, frame, location)
        if name in ("command", "group"):
            return self.click_decorator_factory(name, args, kwargs, frame, node, location)
        if name in ("pass_context", "pass_obj"):
            return Decorator(lambda value, loc: value, name)
        if name == "version_option":
            param = ParamVal("option", ["--version"], {"is_flag": True, "is_eager": True, "expose_value": False},
                             None, location)
            return self.param_decorator(param)
        if name == "help_option":
            decls = [a for a in args if isinstance(a, str)] or ["--help"]
            param = ParamVal("option", decls, {"is_flag": True, "is_eager": True, "expose_value": False},
                             None, location)
            return self.param_decorator(param)
        if name in ("confirmation_option", "password_option", "make_pass_decorator"):
            raise Unsupported("%s: click.%s is not modelled" % (location, name))
        if name in ("confirm", "prompt", "getchar", "edit", "pause"):
            self.events.append(("ask", name, location))
            return UNKNOWN
        if name == "Choice":
            choices = args[0] if args else kwargs.get("choices", UNKNOWN)
            values = self.iterate(choices)
            if values is None or not all(isinstance(v, str) for v in values):
                raise Unsupported("%s: click.Choice with values the extractor cannot compute" % location)
            return ("choice", tuple(values), kwargs.get("case_sensitive", True))
        if name in ("Path", "File", "IntRange", "FloatRange", "DateTime", "Tuple"):
            return ("type", name)
        if name in ("get_current_context",):
            return UNKNOWN
        return UNKNOWN

    def click_param(self, kind, args, kwargs, node, frame, location):
        decls = list(args)
        if not all(isinstance(d, str) for d in decls):
            raise Unsupported("%s: click.%s with computed names" % (location, kind))
        for key in kwargs:
            if key not in self.CLICK_PARAM_KWARGS:
                raise Unsupported("%s: click.%s(%s=...) is not understood" % (location, kind, key))
        type_node = next((k.value for k in node.keywords if k.arg == "type"), None)
        type_value = kwargs.get("type")
        type_desc = describe_type(type_value, type_node)
        if kwargs.get("prompt") not in (None, False) and kind == "option":
            pass
        param = ParamVal(kind, decls, kwargs, type_desc, location)
        return self.param_decorator(param)

    def param_decorator(self, param):
        def apply(value, location):
            if isinstance(value, FuncVal):
                value.click_params.append(param)
                return value
            if isinstance(value, CommandVal):
                value.params.append(param)
                return value
            raise Unsupported("%s: click parameter applied to %r" % (location, value))

        return Decorator(apply, "param")

    def click_decorator_factory(self, kind, args, kwargs, frame, node, location, parent=None):
        name = None
        if args and isinstance(args[0], str):
            name = args[0]
            args = args[1:]
        if args and isinstance(args[0], FuncVal) and not kwargs:
            return self.make_command(kind, args[0], {}, None, location, parent)
        for key in kwargs:
            if key not in self.CLICK_COMMAND_KWARGS:
                raise Unsupported("%s: click.%s(%s=...) is not understood" % (location, kind, key))
        if "name" in kwargs:
            name = kwargs["name"]
        if name is not None and not isinstance(name, str):
            raise Unsupported("%s: click.%s with a computed name" % (location, kind))
        settings = kwargs.get("context_settings") or {}
        if not isinstance(settings, dict):
            raise Unsupported("%s: context_settings the extractor cannot compute" % location)
        for key in settings:
            if key not in self.CONTEXT_SETTINGS:
                raise Unsupported("%s: context setting %s is not understood" % (location, key))
        cls = kwargs.get("cls")
        if cls is not None and not isinstance(cls, (ClassVal, Native)):
            raise Unsupported("%s: cls= the extractor cannot resolve" % location)
        attrs = dict(kwargs)
        attrs["context_settings"] = settings

        def apply(value, loc):
            if not isinstance(value, FuncVal):
                raise Unsupported("%s: click.%s applied to %r" % (loc, kind, value))
            return self.make_command(kind, value, attrs, name, loc, parent)

        return Decorator(apply, kind)

    def make_command(self, kind, function, attrs, name, location, parent):
        if name is None:
            name = function.name.lower().replace("_", "-")
        cls = attrs.get("cls")
        if isinstance(cls, ClassVal):
            forbidden = {"parse_args", "resolve_command", "make_context", "invoke", "main", "format_usage"} \
                & set(cls.method_names())
            if forbidden:
                raise Unsupported("%s: command class %s overrides %s" % (location, cls.name, sorted(forbidden)))
            for base in cls.bases:
                if isinstance(base, ClassVal):
                    forbidden = {"parse_args", "resolve_command", "make_context", "invoke"} & set(base.method_names())
                    if forbidden:
                        raise Unsupported("%s: command class %s overrides %s" % (location, base.name, sorted(forbidden)))
            if kind == "command" and any(isinstance(b, Native) and b.path.endswith(("Group", "MultiCommand"))
                                         for b in cls.bases):
                kind = "group"
        params = list(reversed(function.click_params))
        command = CommandVal(kind, name, function, params, attrs, function.module, function.node, cls)
        if isinstance(cls, ClassVal) and (cls.source_mentions("CLI_COMMANDS") or cls.source_mentions("cli:commands")):
            command.plugin_commands = True
            command.dynamic_filter = "CLI_COMMANDS"
        self.created_commands.append(command)
        if parent is not None:
            parent.add(command)
        return command

    # hooks ------------------------------------------------------------------------------------------------------

    def call_hooks(self, name, args, kwargs, node, frame, location):
        if name == "Contexts.app" or name == "Contexts.APP" or name.startswith("Contexts.app") \
                or name.startswith("Contexts.APP"):
            return ("hooks-app", args[0] if args else UNKNOWN)
        if name == "contexts.enter":
            return ("hooks-context", args[0] if args else UNKNOWN)
        if name == "Filter":
            return FilterVal("anonymous@%s" % location)
        if name == "Action":
            return ActionVal("anonymous@%s" % location)
        if name.startswith("filters."):
            op = name[len("filters."):]
            if not args or not isinstance(args[0], str):
                return UNKNOWN
            return self.call_filter(FilterVal(self.registry.canonical(args[0])), op, list(args[1:]), kwargs, location)
        if name.startswith("actions."):
            op = name[len("actions."):]
            if not args or not isinstance(args[0], str):
                return UNKNOWN
            return self.call_action(ActionVal(args[0]), op, list(args[1:]), kwargs, location)
        return UNKNOWN

    def call_filter(self, f, op, args, kwargs, location):
        reg = self.registry
        if op == "add_item":
            if args:
                reg.add_item(f.name, args[0], location)
            return None
        if op == "add_items":
            values = self.iterate(args[0]) if args else None
            if values is None:
                reg.add_item(f.name, UNKNOWN, location)
            else:
                for v in values:
                    reg.add_item(f.name, v, location)
            return None
        if op in ("add", "add_first", "add_last"):
            def apply(value, loc):
                if isinstance(value, FuncVal):
                    reg.callbacks.setdefault(f.name, []).append((value, reg.context[-1] if reg.context else None))
                return value
            return Decorator(apply, "filter-callback")
        if op in ("iterate", "iterate_from_context"):
            items = self.filter_values(f.name, list(args[1:]) if op == "iterate_from_context" else args)
            if items is UNKNOWN:
                return UNKNOWN
            return items
        if op in ("apply", "apply_from_context"):
            rest = list(args[1:]) if op == "apply_from_context" else list(args)
            initial = rest[0] if rest else UNKNOWN
            return self.apply_filter(f.name, initial, rest[1:])
        if op == "clear":
            return None
        return UNKNOWN

    def filter_values(self, name, args):
        items = [i.value for i in self.registry.items.get(self.registry.canonical(name), [])]
        result = self.apply_filter(name, items, args)
        if isinstance(result, dict):
            return list(result.items())
        if isinstance(result, _DictView):
            return result.elements()
        return result

    def apply_filter(self, name, initial, args):
        value = initial
        for callback, _ctx in self.registry.callbacks.get(self.registry.canonical(name), []):
            result = self.call_function(callback, [value] + list(args), {})
            if result is UNKNOWN or result is None:
                if isinstance(value, (list, dict)):
                    continue
                return UNKNOWN
            value = result
        return value

    def call_action(self, a, op, args, kwargs, location):
        if op in ("add", "add_first", "add_last"):
            def apply(value, loc):
                if isinstance(value, FuncVal):
                    self.registry.actions.setdefault(a.name, []).append(value)
                return value
            return Decorator(apply, "action-callback")
        if op == "add_item":
            return None
        return None

    def run_actions(self):
        """Runs every action callback once (CORE_READY, PLUGINS_LOADED, PROJECT_ROOT_READY...)."""
        done = set()
        while True:
            pending = [(name, f) for name, fs in sorted(self.registry.actions.items()) for f in fs if id(f) not in done]
            if not pending:
                return
            for _name, function in pending:
                done.add(id(function))
                self.call_function(function, [], {})


class _DictView:
    def __init__(self, d, kind):
        self.d = d
        self.kind = kind

    def elements(self):
        if self.kind == "items":
            return list(self.d.items())
        if self.kind == "keys":
            return list(self.d.keys())
        return list(self.d.values())


# ---------------------------------------------------------------------------------------------------------------
# click parameter helpers


def describe_type(value, node):
    if value is None:
        return None
    if isinstance(value, tuple) and value and value[0] == "choice":
        return {"choices": list(value[1]), "caseSensitive": bool(value[2]) if isinstance(value[2], bool) else True}
    if isinstance(value, tuple) and value and value[0] == "type":
        return value[1]
    if isinstance(value, Native):
        short = value.path.split(".")[-1]
        return {"int": "int", "float": "float", "str": None, "bool": "bool", "INT": "int", "FLOAT": "float",
                "STRING": None, "BOOL": "bool", "UNPROCESSED": "unprocessed", "UUID": "uuid"}.get(short, short)
    if node is not None:
        text = ast.unparse(node)
        return text.split("(")[0].split(".")[-1]
    return "custom"


def split_decl(decl):
    if decl[:1].isalnum():
        return None, decl
    first = decl[:1]
    if decl[1:2] == first:
        return decl[:2], decl[2:]
    return first, decl[1:]


def param_names(param):
    """(dest, opts, secondary_opts) as click computes them."""
    if param.kind == "argument":
        name = param.decls[0]
        return name.replace("-", "_").lower(), [], []
    opts, secondary, name = [], [], None
    possible = []
    for decl in param.decls:
        if decl.isidentifier():
            name = decl
            continue
        split = ";" if decl[:1] == "/" else "/"
        if split in decl:
            first, second = decl.split(split, 1)
            first = first.rstrip()
            if first:
                possible.append(split_decl(first))
                opts.append(first)
            second = second.lstrip()
            if second:
                secondary.append(second)
        else:
            possible.append(split_decl(decl))
            opts.append(decl)
    if name is None and possible:
        possible.sort(key=lambda x: -len(x[0]))
        name = possible[0][1].replace("-", "_").lower()
    return name, opts, secondary


def param_dest(param):
    if param.kwargs.get("expose_value") is False:
        return None
    return param_names(param)[0]


def param_is_flag(param):
    kw = param.kwargs
    if param.kind != "option":
        return False
    if kw.get("count"):
        return True
    if "is_flag" in kw and kw["is_flag"] is not None:
        return bool(kw["is_flag"])
    if kw.get("flag_value") is not None:
        return True
    return bool(param_names(param)[2])


def param_default(param):
    kw = param.kwargs
    if "default" in kw:
        d = kw["default"]
        return d if concrete(d) else UNKNOWN
    if param.kind == "option":
        if kw.get("multiple"):
            return ()
        if param_is_flag(param):
            return 0 if kw.get("count") else False
        return None
    nargs = kw.get("nargs", 1)
    return () if nargs == -1 else None


def _memoisable(value):
    if value is None or value is UNKNOWN or isinstance(value, (bool, int, str, Sym, Pattern, Native, FuncVal,
                                                                CommandVal, ModuleVal, ClassVal, FilterVal)):
        return True
    if isinstance(value, tuple):
        return all(_memoisable(v) for v in value)
    return False


def _memo_token(value):
    if isinstance(value, tuple):
        return tuple(_memo_token(v) for v in value)
    if value is None or isinstance(value, (bool, int, str)):
        return (type(value).__name__, value)
    return ("id", id(value))


_RAISES = {}
_GENERATORS = {}


def static_raises(node):
    key = id(node)
    if key not in _RAISES:
        _RAISES[key] = (node, _static_raises(node))
    return _RAISES[key][1]


def is_generator(node):
    key = id(node)
    if key not in _GENERATORS:
        _GENERATORS[key] = (node, _is_generator(node))
    return _GENERATORS[key][1]


def _static_raises(node):
    """Names of the exception classes a function raises by name, e.g. `raise ImageNotFoundError(x)`."""
    out = []
    todo = list(node.body)
    while todo:
        n = todo.pop()
        if isinstance(n, ast.Raise) and isinstance(n.exc, ast.Call) and isinstance(n.exc.func, ast.Name):
            out.append(n.exc.func.id)
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        todo.extend(ast.iter_child_nodes(n))
    return sorted(out)


def _is_generator(node):
    """Whether a function yields (not counting nested functions)."""
    todo = list(node.body)
    while todo:
        n = todo.pop()
        if isinstance(n, (ast.Yield, ast.YieldFrom)):
            return True
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        todo.extend(ast.iter_child_nodes(n))
    return False
