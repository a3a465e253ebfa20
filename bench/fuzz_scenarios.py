"""Fuzz the loader (and, on a sample, the run) with mutants of the shipped scenarios.

Run: python bench/fuzz_scenarios.py [--mutants 3000] [--runs 30] [--seed 1]

Each mutant is a shipped scenario with one thing done to it, the kinds of thing
users, editors and broken disks do: a flipped byte, a control character, a YAML
directive or tag, an extreme number, a tab, a deep nest, a line lost or doubled.
``validate`` must answer each one with a clean verdict: either the file is valid,
or every problem is one line ``file:line:col: ...`` with nothing unprintable in
it and nothing else on stderr. A sample of the mutants that validate is then run
as the real command (``python -m sim run``) under a timeout: it must finish, or
refuse in one line, never print a traceback.

Prints figures (tried, clean, poor, tracebacks, hangs), asserts nothing: it is a
campaign to run by hand, outside the test suite (tests/test_fuzz_loader.py keeps
a small, bounded property test of the same contract in the suite).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import io
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))
#: seconds before a validate counts as a hang
VALIDATE_TIMEOUT_S = 5
#: seconds before a run counts as a hang
RUN_TIMEOUT_S = 120
#: what a clean problem line looks like
PROBLEM_LINE = re.compile(r"^[^:\n]+:\d+:\d+: \S")
UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")

EXTREME_NUMBERS = [
    "1e308",
    "-1e308",
    "1e-300",
    "0",
    "-1",
    "1e15",
    "9223372036854775808",
    "1" + "0" * 400,
    ".inf",
    ".nan",
    "-.inf",
    "1000000000",
    "0.0000001",
    "1e30",
    "5e-324",
]
EXTREME_DISTRIBUTIONS = [
    "normal(1e308, 1e308)",
    "normal(0.5, 1e308)",
    "uniform(0, 1e308)",
    "pert(0, 1, 1e308)",
    "exponential(1e300)",
    "lognormal(1e300, 1e300)",
    "triangular(1e-300, 1e-300, 1)",
]
TAGGED = [
    "!!bool maybe",
    "!!int x",
    "!!float abc",
    "!!binary 'zz'",
    "!!set {a}",
    "!!omap [a: 1]",
    "!custom 1",
    "!!python/object:os.system 'echo hi'",
    "!!timestamp 2020-13-45",
    "!!null x",
    "!!str 5",
    "!!map [1]",
    "!!seq {a: 1}",
    "!<tag:example.com,2000:x> 1",
]
PREFIXES = [
    "%YAML 1.1\n---\n",
    "%YAML 1.2\n---\n",
    "%YAML 1.1\n",
    "%TAG ! tag:example.com,2000:\n---\n",
    "---\n",
    "--- !!map\n",
    "%YAML 2.0\n---\n",
    "%FOO bar\n---\n",
    "--- |\n",
]
CONTROL = [chr(c) for c in (*range(0, 32), 0x7F, 0x85)] + ["\u2028", "\u2029", "\ufeff", "\ufffe"]


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _value_lines(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if re.search(r":\s+[^#\s]", line)]


def flip_byte(data: bytes, rng: random.Random) -> bytes:
    i = rng.randrange(len(data))
    return data[:i] + bytes([data[i] ^ (1 << rng.randrange(8))]) + data[i + 1 :]


def random_byte(data: bytes, rng: random.Random) -> bytes:
    i = rng.randrange(len(data))
    return data[:i] + bytes([rng.randrange(256)]) + data[i + 1 :]


def insert_control(text: str, rng: random.Random) -> str:
    i = rng.randrange(len(text))
    return text[:i] + rng.choice(CONTROL) + text[i:]


def prefix(text: str, rng: random.Random) -> str:
    return rng.choice(PREFIXES) + text


def document_marker(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    i = rng.randrange(len(lines))
    lines.insert(i, rng.choice(["---", "...", "--- ", "... # end", "%YAML 1.2"]))
    return "\n".join(lines)


def _replace_value(text: str, rng: random.Random, choices: list[str]) -> str:
    lines = _lines(text)
    candidates = _value_lines(lines)
    i = rng.choice(candidates)
    lines[i] = re.sub(
        r"(:\s+)([^#,}\]]+?)(\s*(#.*)?)$",
        lambda m: m.group(1) + rng.choice(choices) + m.group(3),
        lines[i],
        count=1,
    )
    return "\n".join(lines)


def _replace_number(text: str, rng: random.Random, choices: list[str]) -> str:
    numbers = list(re.finditer(r"(?<=[\s:\[(,])-?\d[\d_]*(\.\d+)?(e-?\d+)?(?=[\s,)\]}]|$)", text))
    numbers = [m for m in numbers if not _in_comment(text, m.start())]
    if not numbers:
        return text
    m = rng.choice(numbers)
    return text[: m.start()] + rng.choice(choices) + text[m.end() :]


def _in_comment(text: str, at: int) -> bool:
    start = text.rfind("\n", 0, at) + 1
    return "#" in text[start:at]


def extreme_number(text: str, rng: random.Random) -> str:
    return _replace_number(text, rng, EXTREME_NUMBERS)


def extreme_distribution(text: str, rng: random.Random) -> str:
    return _replace_value(text, rng, [f"'{d}'" for d in EXTREME_DISTRIBUTIONS])


def far_date(text: str, rng: random.Random) -> str:
    dates = list(re.finditer(r"\b\d{4}-\d{2}(-\d{2})?\b", text))
    if not dates:
        return text
    m = rng.choice(dates)
    new = rng.choice(["9999-12", "9999-01-01", "0001-01", "0000-01", "9998-12-31", "1-01"])
    return text[: m.start()] + new + text[m.end() :]


def tagged_value(text: str, rng: random.Random) -> str:
    return _replace_value(text, rng, TAGGED)


def tagged_key(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    i = rng.choice([i for i, line in enumerate(lines) if re.match(r"^\s*[a-z_]+:", line)])
    tag = rng.choice(["!!str ", "!!int ", "!custom ", "!!binary ", "!!set "])
    lines[i] = re.sub(r"^(\s*)", lambda m: m.group(1) + tag, lines[i], count=1)
    if rng.random() < 0.3:
        lines.insert(i, re.match(r"^\s*", lines[i]).group(0) + "? [a, b]: 1")  # type: ignore[union-attr]
    return "\n".join(lines)


def tab(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    i = rng.randrange(len(lines))
    if rng.random() < 0.5:
        lines[i] = lines[i] + "\t"
    else:
        lines[i] = "\t" + lines[i].lstrip(" ")
    return "\n".join(lines)


def deep_nesting(text: str, rng: random.Random) -> str:
    depth = rng.choice([100, 1000, 5000, 20000])
    kind = rng.choice(["[]", "{}", "block"])
    if kind == "[]":
        nest = "[" * depth + "1" + "]" * depth
    elif kind == "{}":
        nest = "{a: " * depth + "1" + "}" * depth
    else:
        nest = "\n" + "\n".join("  " * (k + 1) + "- " for k in range(min(depth, 2000))) + "1"
    return _replace_value(text, rng, [nest])


def line_edit(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    what = rng.choice(["delete", "duplicate", "swap", "dedent", "indent"])
    if what == "delete":
        del lines[i]
    elif what == "duplicate":
        lines.insert(i, lines[i])
    elif what == "swap":
        lines[i], lines[j] = lines[j], lines[i]
    elif what == "dedent":
        lines[i] = lines[i][2:]
    else:
        lines[i] = "  " + lines[i]
    return "\n".join(lines)


def truncate(text: str, rng: random.Random) -> str:
    return text[: rng.randrange(len(text))]


def latin1(text: str, rng: random.Random) -> bytes:
    i = rng.randrange(len(text))
    return (text[:i] + "é" + text[i:]).encode("latin-1", errors="replace")


TEXT_MUTATIONS: dict[str, Callable[[str, random.Random], str | bytes]] = {
    "control": insert_control,
    "prefix": prefix,
    "document_marker": document_marker,
    "extreme_number": extreme_number,
    "extreme_distribution": extreme_distribution,
    "far_date": far_date,
    "tagged_value": tagged_value,
    "tagged_key": tagged_key,
    "tab": tab,
    "deep_nesting": deep_nesting,
    "line_edit": line_edit,
    "truncate": truncate,
    "latin1": latin1,
}
BYTE_MUTATIONS: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "flip_byte": flip_byte,
    "random_byte": random_byte,
}
#: mutations whose valid mutants are worth running: values the model must compute with
RUN_MUTATIONS = ("extreme_number", "extreme_distribution", "far_date")


def mutate(source: Path, rng: random.Random) -> tuple[str, bytes]:
    kinds = [*TEXT_MUTATIONS, *BYTE_MUTATIONS]
    kind = rng.choice(kinds)
    data = source.read_bytes()
    if kind in BYTE_MUTATIONS:
        return kind, BYTE_MUTATIONS[kind](data, rng)
    out = TEXT_MUTATIONS[kind](data.decode("utf-8"), rng)
    return kind, out if isinstance(out, bytes) else out.encode("utf-8")


class Hang(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise Hang()


def validate_one(path: Path) -> tuple[str, str]:
    """(verdict, detail): valid, clean, poor, traceback or hang."""
    from sim.scenario.load import ScenarioError, load_scenario

    stderr = io.StringIO()
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, VALIDATE_TIMEOUT_S)
    try:
        with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stderr(stderr):
            warnings.simplefilter("always")
            try:
                load_scenario(path)
                verdict, detail = "valid", ""
            except ScenarioError as err:
                verdict, detail = _judge(str(err), path.name)
        if caught or stderr.getvalue():
            noise = caught[0].message if caught else stderr.getvalue().splitlines()[0]
            verdict, detail = "poor", f"stderr noise: {noise}"
    except Hang:
        verdict, detail = "hang", f"over {VALIDATE_TIMEOUT_S} s"
    except BaseException as err:
        frame = traceback.extract_tb(err.__traceback__)[-1]
        verdict = "traceback"
        detail = (
            f"{type(err).__name__}: {str(err)[:100]} ({Path(frame.filename).name}:{frame.lineno})"
        )
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return verdict, detail


def _judge(message: str, name: str) -> tuple[str, str]:
    for line in message.splitlines():
        if not line.startswith(name + ":") or not PROBLEM_LINE.match(line):
            return "poor", f"no file:line:col: {line[:120]!r}"
        if UNPRINTABLE.search(line):
            return "poor", f"unprintable character: {line[:120]!r}"
    return "clean", ""


def run_one(path: Path, out: Path) -> tuple[str, str, float]:
    """``python -m sim run`` on a valid mutant: (verdict, detail, seconds)."""
    start = time.perf_counter()
    command = [
        sys.executable,
        "-m",
        "sim",
        "run",
        str(path),
        "-o",
        str(out),
        "-n",
        "2",
        "--workers",
        "1",
        "--no-charts",
        "-q",
    ]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=RUN_TIMEOUT_S, cwd=out.parent
        )
    except subprocess.TimeoutExpired:
        return "hang", f"over {RUN_TIMEOUT_S} s", time.perf_counter() - start
    seconds = time.perf_counter() - start
    if "Traceback" in done.stderr or done.returncode not in (0, 2):
        last = done.stderr.strip().splitlines()[-1:] or [f"exit {done.returncode}"]
        return "traceback", last[0][:140], seconds
    if done.returncode == 2:
        return "refused", done.stderr.strip().splitlines()[0][:140], seconds
    return "ran", "", seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutants", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=30, help="valid mutants to run")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-v", "--verbose", action="store_true", help="print every failure")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    tally: collections.Counter[str] = collections.Counter()
    by_kind: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    failures: dict[str, list[str]] = collections.defaultdict(list)
    runnable: list[tuple[str, bytes]] = []
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for companion in (ROOT / "scenarios").iterdir():  # rosters a scenario reads
            if companion.is_file() and companion.suffix != ".yaml":
                shutil.copy(companion, folder / companion.name)
        for n in range(args.mutants):
            source = rng.choice(SHIPPED)
            kind, data = mutate(source, rng)
            path = folder / f"mutant-{n}.yaml"
            path.write_bytes(data)
            verdict, detail = validate_one(path)
            tally[verdict] += 1
            by_kind[kind][verdict] += 1
            if verdict in ("poor", "traceback", "hang"):
                detail = re.sub(r"mutant-\d+\.yaml:\d+(:\d+)?", "FILE", detail)
                failures[verdict].append(f"{kind}: {detail}")
            if verdict == "valid" and kind in RUN_MUTATIONS:
                runnable.append((kind, data))
        validate_s = time.perf_counter() - start
        tried = args.mutants
        ok = tally["valid"] + tally["clean"]
        print(
            f"validate: tried {tried}, clean {ok} ({100 * ok / tried:.1f}%: "
            f"{tally['valid']} valid, {tally['clean']} refused cleanly), "
            f"poor messages {tally['poor']}, tracebacks {tally['traceback']}, "
            f"hangs {tally['hang']}; {validate_s:.0f} s"
        )
        for kind, counts in sorted(by_kind.items()):
            print(f"  {kind:22s} " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
        for verdict in ("traceback", "hang", "poor"):
            distinct = collections.Counter(failures[verdict])
            if distinct:
                print(f"{verdict}s ({len(failures[verdict])}, {len(distinct)} distinct):")
                for text, count in distinct.most_common(None if args.verbose else 12):
                    print(f"  {count:4d} x {text}")
        sample = rng.sample(runnable, min(args.runs, len(runnable)))
        run_tally: collections.Counter[str] = collections.Counter()
        run_failures: list[str] = []
        slowest = 0.0
        for n, (kind, data) in enumerate(sample):
            path = folder / f"run-{n}.yaml"
            path.write_bytes(data)
            verdict, detail, seconds = run_one(path, folder / f"out-{n}")
            slowest = max(slowest, seconds)
            run_tally[verdict] += 1
            if verdict in ("traceback", "hang"):
                run_failures.append(f"{kind}: {verdict}: {detail}")
        print(
            f"run: tried {len(sample)}, ran {run_tally['ran']}, refused in one line "
            f"{run_tally['refused']}, tracebacks {run_tally['traceback']}, "
            f"hangs {run_tally['hang']}; slowest {slowest:.0f} s"
        )
        for text in run_failures:
            print(f"  {text}")


if __name__ == "__main__":
    main()
