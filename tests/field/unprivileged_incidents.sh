#!/usr/bin/env bash
# field_incidents.py as user nobody: the incidents in user namespaces nobody owns, and sockdrill
# entering them through those (sockdrill-peer beside it runs the reproduced cases). Skips (77) when not root or without setpriv.
set -uo pipefail
sockdrill=$1 peer=$2
if [[ $(id -u) -ne 0 ]]; then echo "not root: the plain run is already unprivileged"; exit 77; fi
command -v setpriv >/dev/null || { echo "no setpriv"; exit 77; }
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/sockdrill-field.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp "$sockdrill" "$peer" "$here"/incident.py "$here"/ss_counts.py "$here"/field_incidents.py "$work/"
chmod -R a+rX "$work"
setpriv --reuid=65534 --regid=65534 --clear-groups /usr/bin/python3 "$work/field_incidents.py" "$work/$(basename "$sockdrill")"
