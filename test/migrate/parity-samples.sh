#!/usr/bin/env bash
# Manual check (not run by the test suite): every 1.x harbor.cfg sample migrates to a harbor.yml
# the official prepare of the target accepts. Needs root, a built regctl, ../shared (samples,
# tools) and a goharbor/harbor snapshot in HARBOR_MIRROR.
# Each sample gets a real address as hostname; its https certificate paths point at a throwaway
# pair made here (the samples name /data/cert/..., which this host does not have).
# Usage: parity-samples.sh [TAG]   (default v2.15.2; WORK=/tmp/regctl-migrate-parity)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
shared=${SHARED:-$repo/../shared}
export HARBOR_MIRROR=${HARBOR_MIRROR:?set HARBOR_MIRROR to the git directory of a goharbor/harbor snapshot}
tag=${1:-v2.15.2}
w=${WORK:-/tmp/regctl-migrate-parity}
rm -rf "$w" && mkdir -p "$w/certs"
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=192.168.120.85 -addext subjectAltName=IP:192.168.120.85 \
  -keyout "$w/certs/server.key" -out "$w/certs/server.crt" >/dev/null 2>&1
ok=0 total=0
for cfg in "$shared"/harbor-cfg-samples/*.cfg; do
  name=$(basename "$cfg" .cfg); total=$((total + 1))
  sed -E 's/^hostname *=.*/hostname = 192.168.120.85/' "$cfg" >"$w/$name.cfg"
  if ! node "$repo/bin/regctl" migrate --config "$w/$name.cfg" --to "${tag#v}" --output "$w/$name.yml" --json >"$w/$name.migrate.json" 2>"$w/$name.migrate.err"; then
    echo "$name: regctl migrate failed ($w/$name.migrate.err)"; continue
  fi
  python3 - "$w/$name.yml" "$w/certs" <<'PY'
import sys, yaml
f, certs = sys.argv[1], sys.argv[2]
d = yaml.safe_load(open(f))
if d.get('https'):
    d['https']['certificate'] = f'{certs}/server.crt'
    d['https']['private_key'] = f'{certs}/server.key'
d['data_volume'] = f + '.data'
d.setdefault('log', {}).setdefault('local', {})['location'] = f + '.log'
yaml.safe_dump(d, open(f, 'w'), sort_keys=False)
PY
  if "$shared/tools/anchor-prepare" "$tag" "$w/$name.yml" "$w/$name.out" >"$w/$name.anchor.log" 2>&1; then ok=$((ok + 1)); echo "$name: accepted by the official $tag prepare"
  else echo "$name: the official $tag prepare refused it ($w/$name.anchor.log)"; fi
done
echo "$ok/$total samples migrate to a harbor.yml the official $tag prepare accepts"
[[ $ok -eq $total ]]
