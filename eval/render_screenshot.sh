#!/usr/bin/env bash
# Render the sample article with the bundled model and screenshot the page with headless Chromium.
#
#   eval/render_screenshot.sh [ARTICLE] [OUT.png]      (defaults: data/sample_article.txt, eval/reports/render_sample.png)
#
# Needs chromium (Debian: apt-get install -y chromium fonts-noto-cjk). Run from anywhere; no network used.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
article="${1:-$repo/data/sample_article.txt}"
out="${2:-$repo/eval/reports/render_sample.png}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

PYTHONPATH="$repo/model${PYTHONPATH:+:$PYTHONPATH}" python -m govie.cli render "$article" \
    --device cpu --title "govie · $(basename "$article")" --out "$work/page.html"

# A throwaway profile and every background service off: the page is local, nothing should go out.
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$work/profile" \
    --screenshot="$work/shot.png" --window-size=1200,1600 "file://$work/page.html" 2>/dev/null

# Chromium writes a full-colour PNG; with Pillow installed, a palette PNG is a fraction of the size.
python - "$work/shot.png" "$out" <<'PY'
import shutil
import sys

try:
    from PIL import Image
except ImportError:
    shutil.copyfile(sys.argv[1], sys.argv[2])
else:
    Image.open(sys.argv[1]).convert("RGB").quantize(colors=128).save(sys.argv[2], optimize=True)
PY
echo "wrote $out ($(( $(stat -c %s "$out") / 1024 )) KB)"
