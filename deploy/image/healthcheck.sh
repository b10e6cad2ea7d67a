#!/bin/bash
# Exit 0 when Keel answers GET /health/ready with 200 (bash's /dev/tcp: no curl in the image).
exec 3<>"/dev/tcp/127.0.0.1/${KEEL_SERVER_PORT:-8080}" || exit 1
printf 'GET /health/ready HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
IFS= read -r -t 5 status <&3 || exit 1
[[ "$status" == "HTTP/1.1 200"* ]]
