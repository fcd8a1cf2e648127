#!/usr/bin/env bash
# nmap's everyday command line, run by nmap 7.93 and by scantrace in one lab
# run: each line of the table below is given to both, with the same targets,
# and both must give every port the same state and reason (folded ports
# included), list the same hosts, and print the same port lines, "Not shown"
# lines, --open's rate-limit line and "Skipping host" lines, and the same -oG
# "Host:" lines. scantrace's XML must be valid against nmap.dtd. Covered: -T4 -F, --top-ports with --open
# (and a host found down left out under -v), --top-ports among -p's ports,
# --exclude and --excludefile (and --exclude that leaves no target: nmap's
# warning), nothing to scan or nothing sent under -v (an -iL list naming no
# one, every target excluded, -sn -Pn, --unprivileged: exit status, warning,
# data files, done and raw packets lines, -oN and -oX as nmap's), -T5 with --max-retries, the timing options in
# nmap's time syntax, --host-timeout that fires on the host with dropped ports,
# --unprivileged as root and the default scan as user nobody (both a connect
# scan), and -d's timing report, line for line; -sn with the scanner's own
# address among the targets lists the hosts in nmap's order.
#
# Env (set by CTest): SCANTRACE_BIN, SCANTRACE_SOURCE_DIR, LAB_LISTENER. KEEP=1 keeps
# the work folder (both scanners' outputs) for a look after a failure.
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SCANTRACE_BIN=${SCANTRACE_BIN:-$SCANTRACE_SOURCE_DIR/build/scanner/scantrace}
DTD=/usr/share/nmap/nmap.dtd

die() { echo "FAIL: $*" >&2; exit 1; }
[[ -x $SCANTRACE_BIN ]] || die "no scanner at $SCANTRACE_BIN (build it, or set SCANTRACE_BIN)"
command -v nmap >/dev/null || die "no nmap (apt-get install nmap)"
[[ -f $DTD ]] || die "no $DTD (apt-get install nmap-common)"
command -v xmllint >/dev/null || die "no xmllint (apt-get install libxml2-utils)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/scanner-cli.XXXXXX")
[[ -n ${KEEP:-} ]] || trap 'rm -rf "$WORK"' EXIT
chmod 755 "$WORK"
mkdir -m 1777 "$WORK/nobody"
export SCANTRACE_BIN SCANTRACE_SOURCE_DIR WORK DTD

# shellcheck disable=SC2016 # expanded by the inner shell
inner='
set -euo pipefail
. "$SCANTRACE_SOURCE_DIR/tests/lib/verdicts.sh"
fail=0
A=$LAB_TARGET_IP B=$LAB_TARGET2_IP DOWN=$LAB_DOWN_IP
tcp=$LAB_TCP_PORTS
echo "$DOWN" >"$WORK/excluded"

# What both print that must agree: port lines, the folded ports, --open s
# line, skipped hosts; blanks squeezed (column widths are not compared). The
# -oG "Host:" lines are compared as they are.
lines() {
    grep -E "^[0-9]+/(tcp|udp) |^Not shown|^All [0-9]+ scanned|^Some closed|^Skipping host|^(Nmap s|S)can report for" "$1" |
        sed "s/ (0\.[0-9]*s latency)//" | awk "{ \$1 = \$1; print }" | sed "s/^Nmap scan report/Scan report/"
}

# case NAME RUN-AS FLAGS... -- TARGETS...
case_() {
    local name=$1 as=$2
    shift 2
    local -a flags=() targets=() run=()
    while [[ $1 != -- ]]; do flags+=("$1"); shift; done
    shift
    targets=("$@")
    local dir=$WORK
    if [[ $as == nobody ]]; then
        run=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
        dir=$WORK/nobody
    fi
    ip neigh flush dev "$LAB_IFACE"
    "${run[@]}" nmap -n --reason "${flags[@]}" -oX "$dir/$name.nmap.xml" -oG "$dir/$name.nmap.gnmap" "${targets[@]}" \
        >"$WORK/$name.nmap.txt" 2>&1 || { cat "$WORK/$name.nmap.txt"; echo "FAIL $name: nmap failed"; fail=1; return; }
    ip neigh flush dev "$LAB_IFACE"
    "${run[@]}" "$SCANTRACE_BIN" -n --reason "${flags[@]}" -oX "$dir/$name.st.xml" -oG "$dir/$name.st.gnmap" "${targets[@]}" \
        >"$WORK/$name.st.txt" 2>"$WORK/$name.st.err" ||
        { cat "$WORK/$name.st.txt" "$WORK/$name.st.err"; echo "FAIL $name: scantrace failed"; fail=1; return; }
    local ok=1
    xmllint --noout --dtdvalid "$DTD" "$dir/$name.st.xml" 2>"$WORK/$name.dtd" ||
        { cat "$WORK/$name.dtd"; echo "FAIL $name: XML not valid against nmap.dtd"; ok=0; }
    sed "/^<hosthint>/,/^<\/hosthint>/d" "$dir/$name.nmap.xml" >"$WORK/$name.nmap.final.xml"
    for who in nmap st; do
        local xml=$dir/$name.$who.xml
        [[ $who == nmap ]] && xml=$WORK/$name.nmap.final.xml
        verdicts_from_xml "$xml" >"$WORK/$name.$who.ports"
        { hosts_from_xml "$xml"; grep -o "timedout=\"true\"" "$xml" || true; } >"$WORK/$name.$who.hosts"
        grep -o "<scaninfo type=\"[a-z]*\"" "$xml" >>"$WORK/$name.$who.hosts" || true
        lines "$WORK/$name.$who.txt" >"$WORK/$name.$who.lines" || true # none: no host
        grep "^Host: " "$dir/$name.$who.gnmap" >"$WORK/$name.$who.grepable" || true
    done
    local what
    for what in ports hosts lines grepable; do
        diff -u --label "nmap $name $what" --label "scantrace $name $what" \
            "$WORK/$name.nmap.$what" "$WORK/$name.st.$what" || ok=0
    done
    if ((ok)); then
        printf "ok   %-12s %s: %d ports, %d hosts agree\n" "$name" "${flags[*]}" \
            "$(wc -l <"$WORK/$name.st.ports")" "$(hosts_from_xml "$dir/$name.st.xml" | wc -l)"
    else
        echo "FAIL $name (${flags[*]})"; cat "$WORK/$name.st.txt" "$WORK/$name.st.err"; fail=1
    fi
}

case_ t4-fast root -T4 -F -- "$A" "$B"
case_ top-open root -v --top-ports 20 --open -- "$A" "$B" "$DOWN"
case_ top-of-p root --top-ports 4 -p "$tcp" --open -- "$A"
case_ exclude root -p "$tcp" --exclude "$DOWN" -- "$A,3,5"
case_ excludefile root -p 22,23 --excludefile "$WORK/excluded" -- "$A-5"
# --exclude leaving nothing: no host, and nmap s warning on stderr.
case_ exclude-all root -p 22 --exclude "$A" -- "$A"
warning() { grep "^WARNING" "$1" || true; }
if [[ -n $(warning "$WORK/exclude-all.nmap.txt") ]] &&
    diff -u <(warning "$WORK/exclude-all.nmap.txt") <(warning "$WORK/exclude-all.st.err"); then
    echo "ok   exclude-all  the same warning: $(warning "$WORK/exclude-all.st.err")"
else
    echo "FAIL exclude-all: no warning, or not nmap s"; fail=1
fi
# Nothing to scan or nothing sent, -v, -oN and -oX: the exit status, the
# lines at the end as one screen shows stdout and stderr (the warning, the
# data files line, the done line, the raw packets count nmap prints whenever
# it scans with raw packets, 0 of them too), the -oN lines, the -oX host counts.
printf "# a list of comments only\n\n   \n# and blank lines\n" >"$WORK/comments-list"
: >"$WORK/empty-list"
end_lines() { grep -E "^(WARNING|Read data files|(Nmap|scantrace) done|           Raw packets|Host is up)" "$1" |
    sed -E "s/^(Read data files from: ).*/\1DIR/; s/^(Nmap|scantrace) done: (.*) scanned in .*/DONE: \2/;
        s/[1-9][0-9]* \([0-9.]+[KM]?B\)/N (S)/g; s/ \(0\.[0-9]+s latency\)//"; }
normal_lines() { sed -E "1d; s/^# (Nmap|scantrace) done at .* -- (.*) scanned in .*/# DONE: \2/;
    s/^(Read data files from: ).*/\1DIR/; /^Nmap scan report|^Scan report/d; s/ \(0\.[0-9]+s latency\)//" "$1"; }
# ends NAME STDIN FLAGS...
ends() {
    local name=$1 input=$2 who rc
    shift 2
    for who in nmap st; do
        local bin=nmap
        [[ $who == st ]] && bin=$SCANTRACE_BIN
        rc=0
        "$bin" -n -v "$@" -oN "$WORK/$name.$who.nmap" -oX "$WORK/$name.$who.xml" <"$input" \
            >"$WORK/$name.$who.out" 2>&1 || rc=$?
        echo "rc=$rc" >"$WORK/$name.$who.ends"
        { end_lines "$WORK/$name.$who.out" || true; } >>"$WORK/$name.$who.ends"
        { normal_lines "$WORK/$name.$who.nmap" || true; } 2>&1 | sed "s/^/-oN: /" >>"$WORK/$name.$who.ends"
        { grep -o "<hosts [^>]*>" "$WORK/$name.$who.xml" || true; } 2>&1 | sed "s/^/-oX: /" >>"$WORK/$name.$who.ends"
    done
    if [[ -s $WORK/$name.nmap.ends ]] && xmllint --noout --dtdvalid "$DTD" "$WORK/$name.st.xml" 2>"$WORK/$name.dtd" &&
        diff -u --label "nmap $name" --label "scantrace $name" "$WORK/$name.nmap.ends" "$WORK/$name.st.ends"; then
        echo "ok   $name  $*: $(grep -v "^-o" "$WORK/$name.st.ends" | paste -sd"|")"
    else
        echo "FAIL $name ($*)"; cat "$WORK/$name.dtd" "$WORK/$name.st.out"; fail=1
    fi
}
ends empty-list /dev/null -p 22 -iL "$WORK/empty-list"
ends comment-list /dev/null -sn -iL "$WORK/comments-list"
ends stdin-list /dev/null -sT -Pn -iL -
ends excluded-sn /dev/null -sn --exclude "$A" "$A"
ends excluded-st /dev/null -sT --exclude "$A" "$A"
ends excluded-st-pn /dev/null -sT -Pn --exclude "$A" "$A"
ends excluded-su /dev/null -sU -Pn -p 53 --exclude "$A" "$A"
ends unprivileged /dev/null -p 22 --unprivileged "$A"
ends sn-pn /dev/null -sn -Pn "$A"
ends sn-arp /dev/null -sn "$A"
if [[ -n $LAB_TARGET_IP6 ]]; then
    ends excluded-6 /dev/null -6 -sn -PS22 --exclude "$LAB_TARGET_IP6" "$LAB_TARGET_IP6"
fi
case_ t5-retries root -T5 --max-retries 1 -p "$tcp" -- "$A" "$B"
case_ timing root --scan-delay 5ms --max-scan-delay 50ms --initial-rtt-timeout 200ms \
    --min-rtt-timeout 50ms --max-rtt-timeout 2s --min-hostgroup 2 --max-hostgroup 8 \
    --min-parallelism 2 --max-parallelism 8 -p 22,23,80 -- "$A" "$B"
case_ host-timeout root --host-timeout 500ms --max-retries 3 -p "$tcp" -- "$A" "$B"
case_ unpriv root --unprivileged -p 22,23,25,80,8080 -- "$A" "$B"
if setpriv --reuid=nobody --regid=nogroup --clear-groups -- true 2>/dev/null; then
    case_ default-user nobody -p 22,23,25,80 -- "$A" "$B"
    grep -q "^Note: no raw-socket privilege" "$WORK/default-user.st.err" ||
        { echo "FAIL default-user: no note on stderr"; fail=1; }
else
    echo "skip default-user: no user nobody in this namespace"
fi

# -d: nmap s timing report, line for line, for a template and options over it.
nmap -d -n -T4 --max-retries 3 --scan-delay 20ms -p 22 "$B" >"$WORK/d.nmap.txt" 2>&1
"$SCANTRACE_BIN" -d -n -T4 --max-retries 3 --scan-delay 20ms -p 22 "$B" >"$WORK/d.st.txt"
report() { sed -n "/^-* Timing report -*$/,/^-*$/p" "$1"; }
if [[ -n $(report "$WORK/d.nmap.txt") ]] && diff -u <(report "$WORK/d.nmap.txt") <(report "$WORK/d.st.txt"); then
    echo "ok   debug        -d -T4 --max-retries 3 --scan-delay 20ms: the timing reports agree"
else
    echo "FAIL debug: the timing reports differ"; fail=1
fi
grep -q "^Final times for host: srtt: [0-9]* rttvar: [0-9]*  to: [0-9]*$" "$WORK/d.st.txt" ||
    { echo "FAIL debug: no final times line"; fail=1; }

# -sn with the scanner among its targets (given last to first): the hosts in
# the order nmap reports them, the scanner in its place by address.
order() { sed -nE "s/^(Nmap s|S)can report for ([0-9.]+)$/\2/p" "$1" | paste -sd" " -; }
nmap -n -sn "$B" "$A" "$LAB_SCANNER_IP" >"$WORK/own.nmap.txt" 2>&1
"$SCANTRACE_BIN" -n -sn "$B" "$A" "$LAB_SCANNER_IP" >"$WORK/own.st.txt" 2>&1
if [[ $(order "$WORK/own.nmap.txt") == *"$LAB_SCANNER_IP"* && $(order "$WORK/own.nmap.txt") == "$(order "$WORK/own.st.txt")" ]]; then
    echo "ok   own-address  -sn with the scanner: $(order "$WORK/own.st.txt"), as nmap"
else
    echo "FAIL own-address: nmap $(order "$WORK/own.nmap.txt"), scantrace $(order "$WORK/own.st.txt")"; fail=1
fi
exit $fail
'
rc=0
bash "$SCANTRACE_SOURCE_DIR/tests/lab/lab.sh" run -- bash -c "$inner" >"$WORK/lab.log" 2>&1 || rc=$?
cat "$WORK/lab.log"
((rc == 0)) || die "scantrace and nmap disagree (exit $rc)"
echo "PASS"
