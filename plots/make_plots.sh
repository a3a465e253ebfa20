#!/usr/bin/env bash
# Regenerate the charts in plots/ from the shipped ecommerce-2026 scenario, at its
# own seed and replications (meta.replications), so the README shows what a user
# gets from `restructure run scenarios/ecommerce-2026.yaml`.
#
#   plots/make_plots.sh            # the scenario's replications (20: about a minute on 2 cores)
#   plots/make_plots.sh -n 8       # any extra option goes to `restructure run`
set -euo pipefail
cd "$(dirname "$0")/.."
restructure="${RESTRUCTURE:-restructure}"
run="$(mktemp -d)"
trap 'rm -rf "$run"' EXIT
"$restructure" run scenarios/ecommerce-2026.yaml -o "$run/ecommerce-2026" --force --quiet "$@"
cp "$run/ecommerce-2026/charts/"*.png "$run/ecommerce-2026/charts/"*.svg plots/
ls -l plots/*.png plots/*.svg
