#!/bin/sh
# Healthy when redis answers PING on its port (the check Harbor's valkey image makes).
[ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ]
