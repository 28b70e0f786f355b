#!/bin/sh
# Healthy when PORT answers an HTTP request with a 2xx or 3xx status (like `curl --fail` without
# following redirects, which is how Harbor's nginx and registry images check themselves).
port=${1:?port}
path=${2:-/}
status=$(printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$path" | nc 127.0.0.1 "$port" 2>/dev/null | head -n 1)
case "$status" in
  HTTP/1.?\ [23]*) exit 0 ;;
  *) exit 1 ;;
esac
