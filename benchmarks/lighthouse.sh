#!/usr/bin/env bash
# Lighthouse (mobile preset) against the diary's first load: prints the performance,
# accessibility and best-practices scores and the bytes transferred.
#
#   benchmarks/lighthouse.sh [URL]      default http://127.0.0.1:5000/ (`make run`)
#
# If nothing answers at URL, a `make run` is started for the run and stopped afterwards.
# Lighthouse is installed with npm into benchmarks/node_modules (git-ignored) on first use;
# the browser is Debian's /usr/bin/chromium. Targets: performance >= 95, accessibility 100,
# best practices 100, first load <= 100 KB transferred.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
url=${1:-http://127.0.0.1:5000/}
out=${LIGHTHOUSE_REPORT:-$(mktemp -t lighthouse-XXXXXX.json)}
lighthouse="$here/node_modules/.bin/lighthouse"

if [ ! -x "$lighthouse" ]; then
  npm install --prefix "$here" --no-save --no-package-lock --no-audit --no-fund lighthouse@12 >&2
fi

server=""
cleanup() {
  if [ -n "$server" ]; then kill -- "-$server" 2>/dev/null || true; fi
}
trap cleanup EXIT
if ! curl -fs -o /dev/null "$url" 2>/dev/null; then
  echo "Nothing at $url: starting make run" >&2
  port=$(python3 -c "import urllib.parse, sys; print(urllib.parse.urlsplit(sys.argv[1]).port or 80)" "$url")
  # A process group of its own, so the whole `make run` tree stops with it.
  setsid make -C "$root" run PORT="$port" >"$out.server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 120); do
    curl -fs -o /dev/null "$url" 2>/dev/null && break
    sleep 0.5
  done
  curl -fsS -o /dev/null "$url" || { cat "$out.server.log" >&2; exit 1; }
fi

CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium} "$lighthouse" "$url" \
  --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run" \
  --form-factor=mobile --only-categories=performance,accessibility,best-practices \
  --output=json --output-path="$out" --quiet

python3 - "$out" <<'EOF'
import json
import sys

report = json.load(open(sys.argv[1]))
scores = {key: round(cat["score"] * 100) for key, cat in report["categories"].items()}
audits = report["audits"]
weight = audits["total-byte-weight"]["numericValue"]
items = audits["network-requests"]["details"]["items"]
print(f"performance     {scores['performance']:>4}   (target >= 95)")
print(f"accessibility   {scores['accessibility']:>4}   (target 100)")
print(f"best-practices  {scores['best-practices']:>4}   (target 100)")
print(f"transferred     {weight / 1024:>6.1f} KB in {len(items)} requests   (target <= 100 KB)")
for name in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
             "cumulative-layout-shift"):
    print(f"  {audits[name]['title']}: {audits[name]['displayValue']}")
failed = [a["title"] for a in audits.values()
          if a.get("score") is not None and a["score"] < 1 and a.get("scoreDisplayMode") == "binary"]
if failed:
    print("  not passed:", "; ".join(sorted(failed)))
print(f"report: {sys.argv[1]}")
EOF
