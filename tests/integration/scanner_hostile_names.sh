#!/usr/bin/env bash
# A reverse DNS name chosen by whoever owns the scanned address reaches no
# output raw: the lab's scanner namespace gets an /etc/hosts (LAB_HOSTS) that
# names the target with terminal escape sequences (a window title, a colour,
# clear screen), C0 and C1 controls, invalid UTF-8 and markup. stdout, -oN and
# -oX must hold no control byte and no byte above 0x7e, the XML must be valid
# against nmap's DTD, and the name must be there, escaped byte by byte.
#
# Env (set by CTest): SCANTRACE_BIN, SCANTRACE_SOURCE_DIR, LAB_LISTENER.
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SCANTRACE_BIN=${SCANTRACE_BIN:-$SCANTRACE_SOURCE_DIR/build/scanner/scantrace}
DTD=/usr/share/nmap/nmap.dtd

die() { echo "FAIL: $*" >&2; exit 1; }
[[ -x $SCANTRACE_BIN ]] || die "no scanner at $SCANTRACE_BIN"
[[ -f $DTD ]] || die "no $DTD (apt-get install nmap-common)"
command -v xmllint >/dev/null || die "no xmllint (apt-get install libxml2-utils)"
[[ $EUID -eq 0 ]] || { echo "SKIP: LAB_HOSTS needs root"; exit 77; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/scanner-names.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export SCANTRACE_BIN WORK DTD

# The hostile name: OSC 0 (window title) ended by BEL, SGR red, ED (clear
# screen), SOH, a C1 CSI, 0xff, markup. Whitespace and # would end it in a
# hosts file, so there are none.
printf '127.0.0.1 localhost\n10.201.0.2 evil\033]0;pwned\007\033[31mRED\033[2J\001\233\377<b>&amp;\n' >"$WORK/hosts"

# shellcheck disable=SC2016 # expanded by the inner shell
inner='
set -euo pipefail
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
"$SCANTRACE_BIN" -sS -Pn --reason -p 22,23 "$LAB_TARGET_IP" -oN "$WORK/scan.txt" -oX "$WORK/scan.xml" \
    >"$WORK/stdout" 2>"$WORK/stderr"
cat "$WORK/stdout"
# Bytes a terminal or XML 1.0 must not get: C0 but tab and newline, DEL, and
# every byte above (C1, invalid UTF-8).
raw() { LC_ALL=C grep -qP "[\\x00-\\x08\\x0b-\\x1f\\x7f-\\xff]" "$1"; }
for f in stdout stderr scan.txt scan.xml; do
    check "$f: no control or non-ASCII byte" "! raw $WORK/$f"
done
want="evil\\x1b]0;pwned\\x07\\x1b[31mRED\\x1b[2J\\x01\\x9b\\xff<b>&amp;"
check "stdout names the host, escaped" "grep -qF \"Scan report for \$want ($LAB_TARGET_IP)\" $WORK/stdout"
check "-oN names the host, escaped" "grep -qF \"Scan report for \$want ($LAB_TARGET_IP)\" $WORK/scan.txt"
check "XML valid against nmap.dtd" "xmllint --noout --dtdvalid $DTD $WORK/scan.xml"
check "XML name is the escaped text" "[[ \$(xmllint --xpath \"string(//hostname/@name)\" $WORK/scan.xml) == \"\$want\" ]]"
exit $fail
'
rc=0
LAB_HOSTS=$WORK/hosts bash "$SCANTRACE_SOURCE_DIR/tests/lab/lab.sh" run -- bash -c "$inner" >"$WORK/lab.log" 2>&1 || rc=$?
LC_ALL=C sed 's/[^[:print:]\t]/?/g' "$WORK/lab.log"
((rc == 0)) || die "scanner hostile names test failed (exit $rc)"
echo "PASS"
