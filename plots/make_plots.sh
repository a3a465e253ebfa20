#!/usr/bin/env bash
# Regenerate the charts in plots/ from the shipped scenarios, so the README shows
# what a user gets from each command:
#
#   1-14 (run)    restructure run scenarios/ecommerce-2026.yaml, at its own seed and
#                 replications (meta.replications); the board views 9-14 (headcount
#                 bridge, NPV histogram, by unit, by layer, spans and layers, convergence)
#   compare-*     restructure compare of ecommerce-2026, cuts-only, ecommerce-ai-attrition
#                 and status-quo
#   tornado       restructure sensitivity scenarios/midsize-delayering.yaml, with two
#   spider        fixed inputs named by --vary
#   sweep         restructure sweep of the share of removed managers moved down, midsize
#   roster-spans  restructure org scenarios/example-roster.csv
#
#   plots/make_plots.sh            # about three minutes on 2 cores
#   plots/make_plots.sh -n 8       # any extra option goes to `restructure run`
#   STUDY_REPLICATIONS=8 plots/make_plots.sh   # replications of each study (default 4)
set -euo pipefail
cd "$(dirname "$0")/.."
restructure="${RESTRUCTURE:-restructure}"
studies=(-n "${STUDY_REPLICATIONS:-4}" --force --quiet)
run="$(mktemp -d)"
trap 'rm -rf "$run"' EXIT

"$restructure" run scenarios/ecommerce-2026.yaml -o "$run/ecommerce-2026" --force --quiet "$@"
cp "$run/ecommerce-2026/charts/"*.png "$run/ecommerce-2026/charts/"*.svg plots/

# the same seed and replications for all three: differences are paired run by run
"$restructure" compare scenarios/ecommerce-2026.yaml scenarios/cuts-only.yaml \
    scenarios/ecommerce-ai-attrition.yaml scenarios/status-quo.yaml -o "$run/compare" \
    "${studies[@]}"
cp "$run/compare/charts/"compare-*.png "$run/compare/charts/"compare-*.svg plots/

"$restructure" sensitivity scenarios/midsize-delayering.yaml -o "$run/tornado" "${studies[@]}" \
    --vary 'meta.discount_rate_annual=0.06:0.10' \
    --vary 'restructuring.waves[0].one_time_costs=-50%:+50%'
cp "$run/tornado/charts/"{tornado,spider}.{png,svg} plots/

"$restructure" sweep scenarios/midsize-delayering.yaml \
    --set 'restructuring.waves[0].remove_layers[0].moved_down_share=0:1:6' \
    -o "$run/sweep" "${studies[@]}"
cp "$run/sweep/charts/"sweep.png "$run/sweep/charts/"sweep.svg plots/

ls -l plots/*.png plots/*.svg

# spans and layers of the made-up example roster (restructure org)
"$restructure" org scenarios/example-roster.csv --chart plots/roster-spans.png --force > /dev/null
"$restructure" org scenarios/example-roster.csv --chart plots/roster-spans.svg --force > /dev/null
