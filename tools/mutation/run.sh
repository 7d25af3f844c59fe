#!/usr/bin/env bash
# `make mutation`: mutation testing of the gated domain-core modules against the unit tier.
# 1. mutmut (undecorated functions) and, beside it, 2. tools/mutation/operators.py (decorated
# functions, module constants, the ledger loop), 3. the per-module scores and the gate (pyproject
# [tool.vcio-mutation] gates; reviewed equivalent mutants in tools/mutation/equivalent.txt).
# `tools/mutation/run.sh commands/reviews.py ...` checks only the given modules (they must be in
# [tool.mutmut] only_mutate), keeping mutants/ and the other modules' results: the loop for
# writing one module's tests.
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON="${PYTHON:-.venv/bin/python}"
JOBS="${JOBS:-2}"
started=$(date +%s)
echo "mutation: start, $(uptime)"
names=()
for module in "$@"; do
    stem="${module%.py}"
    names+=("${stem//\//.}.*")
    # mutmut regenerates a module's mutants only when its copy is not newer than the source
    rm -f "mutants/$module" "mutants/$module.meta" "mutants/$module.spans"
done
[ "$#" -gt 0 ] || rm -rf mutants
# The operator script runs beside mutmut: mutmut's statistics phase runs the selection on one
# core, and the two share the machine's cores for the rest.
mkdir -p mutants
PYTHONPATH="$PWD" "$PYTHON" tools/mutation/operators.py --jobs "$JOBS" "$@" > mutants/operators.log 2>&1 &
operators=$!
"$PYTHON" -m tools.mutation.mutmut_run run --max-children "$JOBS" "${names[@]}" > mutants.log 2>&1 || {
    kill "$operators"; tail -40 mutants.log; exit 1; }
mv mutants.log mutants/mutmut.log
echo "mutation: mutmut done after $(( $(date +%s) - started )) s"
wait "$operators" || { cat mutants/operators.log; exit 1; }
cat mutants/operators.log
echo "mutation: operators done after $(( $(date +%s) - started )) s, $(uptime)"
"$PYTHON" tools/mutation/score.py --gate pyproject.toml --show-survivors "$@"
