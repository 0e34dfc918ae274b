#!/usr/bin/env bash
# The data and backbone ablations, one row each, with the reduced recipe of
# training/configs/ablation.yaml (1 epoch x 400 steps). Usage: eval/run_ablations.sh [ROW ...]
# Then: python eval/ablation_table.py  (writes the tables of eval/reports/data.md and backbones.md)
set -euo pipefail
cd "$(dirname "$0")/.."
TEAM='{name: team, kind: jsonl, path: "data/annotated/team-[a-f].jsonl", weight: 2.0}'
SYNTH='{name: synth, kind: synth, n: 6000, seed: 0, weight: 1.0}'
MSRA='{name: msra, kind: msra, weight: 0.06}'
CLUENER='{name: cluener, kind: cluener, weight: 0.2}'
MSRA_NAIVE='{name: msra, kind: msra, weight: 0.06, partial_labels: false}'
CLUENER_NAIVE='{name: cluener, kind: cluener, weight: 0.2, partial_labels: false}'

row() {  # row NAME [--set overrides...]
  local name=$1; shift
  local out=runs/ablation/$name
  if [ -f "$out/msra_test.json" ]; then echo "skip $name (done)"; return; fi
  rm -rf "$out"
  python -m training.train training/configs/ablation.yaml --set "output_dir=$out" "$@"
  python eval/msra_test.py --model "$out/best" --json "$out/msra_test.json"
  rm -rf "$out/last"  # optimizer state: not needed once the row is measured
}

rows=("$@")
[ ${#rows[@]} -eq 0 ] && rows=(full naive no-team no-synth no-public random-init e5-12-layers mlm-compact)
for r in "${rows[@]}"; do
  case $r in
    full)          row full ;;
    naive)         row naive "sources=[$TEAM, $SYNTH, $MSRA_NAIVE, $CLUENER_NAIVE]" ;;
    no-team)       row no-team "sources=[$SYNTH, $MSRA, $CLUENER]" ;;
    no-synth)      row no-synth "sources=[$TEAM, $MSRA, $CLUENER]" ;;
    no-public)     row no-public "sources=[$TEAM, $SYNTH]" ;;
    team-only)     row team-only "sources=[$TEAM]" ;;
    random-init)   row random-init random_init=true ;;
    e5-12-layers)  row e5-12-layers encoder_layers=12 ;;
    self-train)    # MSRA/CLUENER samples of the same size, with the types they lack labelled by the
                   # bundled model (data/self_train.py), instead of the resampled plain sentences
                   [ -f runs/selftrain/pseudo-msra.jsonl ] || python -m data.self_train --out runs/selftrain/pseudo.jsonl
                   row self-train "sources=[$TEAM, $SYNTH, {name: msra-pseudo, kind: jsonl, path: runs/selftrain/pseudo-msra.jsonl, types: [PER, LOC, ORG], relations: false, weight: 1.0}, {name: cluener-pseudo, kind: jsonl, path: runs/selftrain/pseudo-cluener.jsonl, types: [PER, LOC, ORG, TITLE], relations: false, weight: 1.0}]" ;;
    mlm-compact)   # route B: our own 4x256 character BERT, masked-LM pre-trained for 8 minutes here
                   [ -f runs/mlm-compact/model.safetensors ] || python -m training.pretrain_mlm runs/mlm-compact \
                       --layers 4 --hidden 256 --heads 4 --max-steps 1500 --minutes 8 \
                       --sources msra cluener team synth
                   row mlm-compact backbone=runs/mlm-compact encoder_layers=4 ;;
    *) echo "unknown row $r" >&2; exit 2 ;;
  esac
done
