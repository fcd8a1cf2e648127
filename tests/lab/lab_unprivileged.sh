#!/usr/bin/env bash
# The lab as an ordinary user: its self-test (without nmap, which needs real
# root for raw sockets outside the lab) in user namespaces. As root, it drops to
# nobody; the lab's files are copied where nobody can read them, whatever the
# permissions of the checkout.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
COPY=$(mktemp -d /tmp/lab-unprivileged.XXXXXX)
trap 'rm -rf "$COPY"' EXIT
cp "$HERE/lab.sh" "$HERE/lab_selftest.sh" "$HERE/lab_listener.c" "$COPY/"
chmod -R a+rX "$COPY"
unset LAB_LISTENER # built by lab.sh itself, as the user
if [[ $EUID -eq 0 ]]; then
    chown -R nobody:nogroup "$COPY"
    exec setpriv --reuid=nobody --regid=nogroup --clear-groups \
        env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME="$COPY" TMPDIR="$COPY" \
        bash "$COPY/lab_selftest.sh" --no-nmap
fi
bash "$COPY/lab_selftest.sh" --no-nmap
