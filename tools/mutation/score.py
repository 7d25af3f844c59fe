"""Per-module mutation scores from mutmut's results and the operator script's, against thresholds.

A mutant counts as killed when a test failed (or timed out) with it in place; a mutant no test
reaches counts as survived. Mutants listed in ``tools/mutation/equivalent.txt`` (each with the
reason it cannot change behaviour) are left out of the score. ``--gate`` fails (exit 1) when a
gated module scores under its threshold.
"""

import argparse
import json
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

KILLED_CODES = {1, 3, 24, -24, 36, 37, 152, 255}
SURVIVED_CODES = {0, 5, 33}
HERE = Path(__file__).parent
EQUIVALENT_FILE = HERE / "equivalent.txt"
OPERATOR_RESULTS = Path("mutants") / "operators.json"


@dataclass(frozen=True)
class Score:
    module: str
    killed: int
    survived: int
    equivalent: int

    @property
    def counted(self) -> int:
        return self.killed + self.survived

    @property
    def percent(self) -> float:
        return 100.0 * self.killed / self.counted if self.counted else 100.0


def equivalent_mutants(path: Path = EQUIVALENT_FILE) -> set[str]:
    """Mutant names from the reviewed list: ``name  # reason`` per line."""
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        name = line.split("#", 1)[0].strip()
        if name:
            names.add(name)
    return names


def outcomes(root: Path) -> dict[str, dict[str, int | None]]:
    """Exit code per mutant name, per module path (``schedulers/annual_plan.py``)."""
    found: dict[str, dict[str, int | None]] = {}
    for meta in sorted(root.rglob("*.py.meta")):
        module = str(meta.relative_to(root))[: -len(".meta")]
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        found.setdefault(module, {}).update(codes)
    operators = root / OPERATOR_RESULTS.name
    if operators.exists():
        for module, codes in json.loads(operators.read_text(encoding="utf-8")).items():
            found.setdefault(module, {}).update(codes)
    return found


def score(module: str, codes: dict[str, int | None], equivalent: set[str]) -> Score:
    tally: Counter[str] = Counter()
    for name, code in codes.items():
        if name in equivalent:
            tally["equivalent"] += 1
        elif code in KILLED_CODES:
            tally["killed"] += 1
        elif code in SURVIVED_CODES:
            tally["survived"] += 1
        else:
            raise SystemExit(f"mutant {name} was not checked (exit code {code}): run the tool again")
    return Score(module, tally["killed"], tally["survived"], tally["equivalent"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, default=Path("mutants"))
    parser.add_argument("--gate", type=Path, help="pyproject.toml whose [tool.vcio-mutation] gates"
                        " map module paths to threshold percents")
    parser.add_argument("--show-survivors", action="store_true")
    parser.add_argument("modules", nargs="*", help="only these module paths (default: all)")
    args = parser.parse_args(argv)
    equivalent = equivalent_mutants()
    gates: dict[str, float] = {}
    if args.gate:
        # `gates` and any further `gates-...` tables (one per area, so areas merge without conflicts)
        config = tomllib.loads(args.gate.read_text(encoding="utf-8"))["tool"]["vcio-mutation"]
        for key, table in config.items():
            if key == "gates" or key.startswith("gates-"):
                gates.update(table)
    found = outcomes(args.root)
    if args.modules:
        gates = {module: gate for module, gate in gates.items() if module in args.modules}
        found = {module: codes for module, codes in found.items() if module in args.modules}
    failed = []
    print(f"{'module':44} {'mutants':>7} {'killed':>6} {'equiv':>5} {'score':>7} {'gate':>5}")
    for module, codes in sorted(found.items()):
        if not codes:
            continue
        result = score(module, codes, equivalent)
        gate = gates.get(module)
        mark = "" if gate is None else f"{gate:.0f}"
        if gate is not None and result.percent < gate:
            failed.append(result)
            mark += " FAIL"
        print(f"{module:44} {result.counted:7d} {result.killed:6d} {result.equivalent:5d}"
              f" {result.percent:6.1f}% {mark:>5}")
        if args.show_survivors:
            for name, code in sorted(codes.items()):
                if code in SURVIVED_CODES and name not in equivalent:
                    print(f"    survived: {name}")
    missing = sorted(set(gates) - set(found))
    for module in missing:
        print(f"{module}: gated but no results", file=sys.stderr)
    if failed or missing:
        print(f"mutation gate FAILED: {', '.join(r.module for r in failed) or 'missing results'}")
        return 1
    if gates:
        print(f"mutation gate passed: {len(gates)} modules at or above their thresholds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
