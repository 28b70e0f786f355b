#!/usr/bin/env bash
# Installs and starts what the test suite needs on a machine of this project's kind (Debian, root):
# Debian packages (nginx, docker-registry, skopeo, notary, Docker Engine + docker-compose v1, ...) and dockerd.
# Idempotent and quick when everything is already there.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
need=(docker.io docker-compose nginx docker-registry skopeo apache2-utils openssl tmux busybox-static curl notary postgresql redis-server iproute2 procps rsyslog logrotate)
missing=()
for p in "${need[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  echo "test-setup: installing ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Debian's packages start their host services on fixed ports (80, 5432, 6379, 514) when installed;
# the tests run their own processes on those ports. Stop only the services of packages this run
# installed, by service name: an operator's own nginx or PostgreSQL is left alone.
declare -A service_of=([nginx]=nginx [postgresql]=postgresql [redis-server]=redis-server [rsyslog]=rsyslog)
for p in "${missing[@]}"; do
  svc=${service_of[$p]:-}
  [[ -n $svc ]] || continue
  if command -v systemctl >/dev/null 2>&1 && systemctl is-system-running >/dev/null 2>&1; then
    systemctl stop "$svc" 2>/dev/null || true
  fi
  service "$svc" stop >/dev/null 2>&1 || true
done

if ! docker info >/dev/null 2>&1; then
  echo "test-setup: starting dockerd"
  (dockerd >/tmp/dockerd.log 2>&1 &)
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  if ! docker info >/dev/null 2>&1; then
    echo "test-setup: dockerd did not start; see /tmp/dockerd.log" >&2
    tail -20 /tmp/dockerd.log >&2 || true
    exit 1
  fi
fi
echo "test-setup: ready (docker $(docker version --format '{{.Server.Version}}'), $(docker-compose version --short 2>/dev/null | sed 's/^/compose /'))"
