"""The layers of ARCHITECTURE.md, checked on the source: members is the foundation,
recruitment builds on it, reports on both, config sits on top; the import graph has no
cycle; and modules stay small enough to read, so the map keeps matching the code."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Lowest first: a module may import its own layer and the ones before it, never a later one.
# config is on top and may import everything.
LAYERS = ("members", "recruitment", "reports", "config")

LINE_LIMIT = 400

# Modules allowed past LINE_LIMIT, each with the reason it stays whole.
LONG_MODULES: dict[str, str] = {
    # Each insight view keeps its figures, its one selector, the list behind its numbers, its
    # chart and its sheet together, so that the page, the PDF annex and the XLSX read one
    # module; the next split is the charts and sheets into reports/insight/charts.py and
    # sheets.py, and the lists' SQL beside them.
    "reports/insight/aging.py": "one insight view: figures, selector, list, chart, sheet",
    "reports/insight/cohorts.py": "one insight view: figures, selector, list, chart, sheet",
    "reports/insight/forecast.py": "one insight view: figures, selector, back-test, lists, "
                                   "chart, sheet",
    "reports/insight/units.py": "one insight view: figures, selector, lists, chart, sheet",
}


def _source_files():
    for package in LAYERS:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "migrations" in parts or "tests" in parts or parts[-1].startswith("test_"):
                continue
            yield path


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(path): path for path in _source_files()}


def _is_package(module):
    return MODULES[module].name == "__init__.py"


def _owner(dotted):
    """The project module a dotted name lives in (the longest known prefix), or None."""
    parts = dotted.split(".")
    while parts:
        name = ".".join(parts)
        if name in MODULES:
            return name
        parts.pop()
    return None


def _imports(module):
    path = MODULES[module]
    return _imports_in(path.read_text(encoding="utf-8"), module, _is_package(module))


def _imports_in(source, module, is_package):
    """Every (imported dotted name, line) of `source`, at module level and inside functions;
    relative imports resolved. Dotted strings (import_string) are data, not imports."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = module.split(".")
                if not is_package:
                    package.pop()
                package = package[: len(package) - (node.level - 1)]
                base = ".".join(package + ([node.module] if node.module else []))
            else:
                base = node.module
            for alias in node.names:
                # `from pkg import sub` imports the submodule when there is one.
                submodule = f"{base}.{alias.name}"
                yield (submodule if submodule in MODULES else base), node.lineno


def _where(module, line):
    return f"{MODULES[module].relative_to(ROOT)}:{line}"


def test_no_module_imports_a_higher_layer():
    wrong = []
    for module in MODULES:
        layer = LAYERS.index(module.split(".")[0])
        if LAYERS[layer] == "config":
            continue
        for name, line in _imports(module):
            top = name.split(".")[0]
            if top in LAYERS and LAYERS.index(top) > layer:
                wrong.append(f"{_where(module, line)} imports {name}")
    assert not wrong, (
        "A lower app imports a higher one (members < recruitment < reports < config); register "
        "through the lower app's registry from the upper app's AppConfig.ready() instead:\n  "
        + "\n  ".join(wrong)
    )


def _graph():
    graph = {}
    for module in MODULES:
        edges = graph.setdefault(module, {})
        for name, line in _imports(module):
            target = _owner(name)
            if target and target != module:
                edges.setdefault(target, line)
    return graph


def _find_cycle(graph):
    """One cycle as a list of modules (first == last), or None; depth-first, in name order."""
    state = {}  # module -> "open" while on the path, "done" once fully explored
    path = []

    def visit(module):
        state[module] = "open"
        path.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                return path[path.index(target):] + [target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        path.pop()
        state[module] = "done"
        return None

    for module in sorted(graph):
        if module not in state:
            cycle = visit(module)
            if cycle:
                return cycle
    return None


def _tangles(graph):
    """The strongly connected groups of more than one module (Tarjan), each a set."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def connect(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in graph[module]:
            if target not in index:
                connect(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == module:
                    break
            if len(group) > 1:
                groups.append(group)

    for module in sorted(graph):
        if module not in index:
            connect(module)
    return groups


def test_the_import_graph_has_no_cycle():
    graph = _graph()
    report = []
    for group in sorted(_tangles(graph), key=min):
        inside = {m: {t: line for t, line in graph[m].items() if t in group} for m in group}
        cycle = _find_cycle(inside)
        report.append(" -> ".join(cycle) + "\n    " + "\n    ".join(
            f"{source} imports {target} at {_where(source, graph[source][target])}"
            for source, target in zip(cycle, cycle[1:], strict=False)
        ))
    assert not report, (
        "The project's modules import each other in a circle (imports inside functions count "
        "too); move the shared part down, or let the upper module register it:\n  "
        + "\n  ".join(report)
    )


def _line_count(module):
    return len(MODULES[module].read_text(encoding="utf-8").splitlines())


def test_modules_stay_under_the_line_limit():
    long = [
        f"{MODULES[module].relative_to(ROOT)}: {_line_count(module)} lines"
        for module in sorted(MODULES)
        if _line_count(module) > LINE_LIMIT and str(MODULES[module].relative_to(ROOT))
        not in LONG_MODULES
    ]
    assert not long, (
        f"Modules over {LINE_LIMIT} lines: split them by concept into a package (keeping the "
        "old import path), or add them to LONG_MODULES with the reason:\n  " + "\n  ".join(long)
    )


def test_every_long_module_exception_is_still_needed():
    stale = []
    for path, reason in sorted(LONG_MODULES.items()):
        assert reason.strip(), f"{path} needs a reason to be in LONG_MODULES"
        module = _module_name(ROOT / path)
        if module not in MODULES:
            stale.append(f"{path}: no such module")
        elif _line_count(module) <= LINE_LIMIT:
            stale.append(f"{path}: now {_line_count(module)} lines")
    assert not stale, "Remove from LONG_MODULES what no longer needs it:\n  " + "\n  ".join(stale)


def test_the_import_reader_resolves_every_shape_of_import():
    # The checks above are only as good as _imports_in; keep it honest on the shapes in use.
    source = (
        "import reports.xlsx\n"
        "from . import training\n"
        "from .. import selectors\n"
        "from ..models import Candidate\n"
        "def later():\n"
        "    from members.models import Member\n"
        "KIND = import_string('reports.resources.TargetResource')\n"
    )
    found = sorted(name for name, _line in _imports_in(source, "recruitment.views.pipeline",
                                                       is_package=False))
    assert found == ["members.models", "recruitment.models", "recruitment.selectors",
                     "recruitment.views.training", "reports.xlsx"]
    found = [name for name, _line in _imports_in("from .training import x\n",
                                                 "recruitment.views", is_package=True)]
    assert found == ["recruitment.views.training"]
    assert _owner("recruitment.models.Candidate") == "recruitment.models"
    assert _owner("django.db") is None
