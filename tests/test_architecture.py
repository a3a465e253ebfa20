"""The package's layout is a rule, not a habit: each stage imports only the stages
before it, the model loads no file formats or plotting, the charts run no engine,
there are no import cycles, and the public API is what the docs say it is."""

from __future__ import annotations

import ast
import graphlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

import sim

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "sim"
#: the stages in data-flow order; a module may import its own stage and earlier ones
STAGES = ("scenario", "model", "finance", "runs", "studies", "report", "cli")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _stage(module: str) -> str | None:
    """'sim.report.charts.data' -> 'report'; the package's root (its lazy API,
    __main__) belongs to no stage."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _in_sim(module: str | None) -> bool:
    return module is not None and module.split(".")[0] == "sim"


def _imports(tree: ast.Module, module: str, top_level_only: bool) -> set[str]:
    """The sim modules a module imports, outside ``if TYPE_CHECKING:`` blocks
    (and, with ``top_level_only``, outside functions: what runs on import)."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if top_level_only and isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "sim")
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and _in_sim(node.module):
            # "from sim.report.charts import style" imports the module ...charts.style
            # (its package is initialised first whatever the import says)
            submodules = {f"{node.module}.{alias.name}" for alias in node.names}
            submodules &= MODULES.keys()
            named_submodules_only = len(submodules) == len(node.names)
            found.update(submodules if named_submodules_only else {node.module, *submodules})
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    found.discard(module)
    return found


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
TREES = {name: ast.parse(path.read_text(encoding="utf-8")) for name, path in MODULES.items()}


def _violations() -> list[str]:
    out = []
    for module, tree in TREES.items():
        own = _stage(module)
        if own is None:
            continue
        for target in sorted(_imports(tree, module, top_level_only=False)):
            theirs = _stage(target)
            if target == "sim":
                # the package root is the lazy API for notebooks; a stage that imported it
                # would run back up the stages (the version lives in sim._version)
                out.append(f"{module} ({own}) imports the package root")
                continue
            if theirs is None:
                continue  # sim._version: a leaf every stage may read
            if STAGES.index(theirs) > STAGES.index(own):
                out.append(f"{module} ({own}) imports {target} ({theirs})")
    return out


def test_each_stage_imports_only_the_stages_before_it() -> None:
    assert _violations() == []


def test_the_stage_rule_would_catch_an_import_backwards() -> None:
    tree = ast.parse("from sim.report.text import money\n")
    found = _imports(tree, "sim.finance.metrics", top_level_only=False)
    assert found == {"sim.report.text"}
    assert STAGES.index(_stage("sim.report.text")) > STAGES.index(_stage("sim.finance.metrics"))


def test_imports_under_type_checking_are_for_types_only_and_do_not_count() -> None:
    tree = ast.parse(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from sim.runs import plan\n"
    )
    assert _imports(tree, "sim.scenario.x", top_level_only=False) == set()


def test_the_package_has_no_import_cycles() -> None:
    """Imports inside functions count too: a cycle hidden in a function is still a
    cycle between two modules, only deferred."""
    graph = {}
    for module, tree in TREES.items():
        imported = _imports(tree, module, top_level_only=False)
        graph[module] = {m for m in imported if m in MODULES}
    graphlib.TopologicalSorter(graph).prepare()  # raises CycleError naming the cycle


def _loaded_after(statement: str) -> set[str]:
    """The modules a fresh interpreter holds after ``statement``."""
    code = f"import sys\n{statement}\nprint('\\n'.join(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return set(done.stdout.split())


def _top_level(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def test_the_model_loads_no_yaml_command_line_or_plotting() -> None:
    loaded = _top_level(_loaded_after("import sim.model.replication"))
    assert loaded.isdisjoint({"ruamel", "click", "matplotlib", "xlsxwriter"})


def test_the_charts_load_no_simpy_and_no_engine() -> None:
    loaded = _loaded_after("import sim.report.charts")
    assert "simpy" not in _top_level(loaded)
    assert "xlsxwriter" not in _top_level(loaded)
    assert loaded.isdisjoint({"sim.model.replication", "sim.model.workflow", "sim.runs.montecarlo"})


def test_the_command_line_loads_no_engine_until_it_simulates() -> None:
    loaded = _loaded_after("import sim.cli")
    assert _top_level(loaded).isdisjoint({"simpy", "matplotlib", "xlsxwriter", "dask"})


def test_importing_sim_loads_nothing_until_a_name_is_used() -> None:
    loaded = _loaded_after("import sim")
    assert {m for m in loaded if m.startswith("sim")} == {"sim", "sim._version"}


# ------------------------------------------------------------------ the public API


def _documented_api() -> list[str]:
    """The names docs/architecture.md lists under "Public API", in its table."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = text.split("## Public API", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `(\w+)`", section, flags=re.MULTILINE)


def test_the_public_api_is_the_documented_one() -> None:
    assert sorted(sim.__all__) == sorted(_documented_api())
    assert set(sim.__all__) - {"__version__"} == set(sim._EXPORTS)


@pytest.mark.parametrize("name", sim.__all__)
def test_every_public_name_resolves(name: str) -> None:
    assert getattr(sim, name) is not None


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        _ = sim.nothing_here  # type: ignore[attr-defined]
