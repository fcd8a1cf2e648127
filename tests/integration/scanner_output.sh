#!/usr/bin/env bash
# The reports and the lines nmap's users read, in one lab run, nmap 7.93 and
# scantrace given the same options (-sS -v -oA, both lab targets and the
# address nobody has):
# - -oA writes BASE.nmap, BASE.xml and BASE.gnmap; a small grepable reader
#   (as users write them: "Host:" lines split at tabs, Ports at ", " and "/")
#   gets the same hosts, statuses, ports, states and "Ignored State" from both;
# - -vv gives the reasons and "Scanned at" as nmap does;
# - -v prints nmap's phase lines ("Initiating SYN Stealth Scan at HH:MM",
#   "Scanning 2 hosts [N ports/host]", "Completed ... (M total ports)"), and a
#   "Discovered open port" line for exactly the open ports; "Read data files
#   from:" before the done line (on the screen and in -oN) and "Raw packets
#   sent: N (SIZE) | Rcvd: N (SIZE)" after it (the screen only) as nmap does,
#   its counts those of scantrace's own -w capture (tshark: our tagged probes
#   and ARP requests out, what is addressed to us in), no packets line with
#   -sT -Pn; a lone target found down gets the "Host seems down" note on the
#   screen, not in -oN, as nmap;
# - -oX - puts the XML report alone on stdout, and ndiff finds no difference
#   from nmap's -oX; --append-output adds to a file; --resume continues a log
#   cut after its first host with the second;
# - on a terminal (a pseudo-terminal), with a slowed scan (--max-rate) and
#   --stats-every 1s: status lines in nmap's form, one more for a key, the v key
#   raising the verbosity; nothing typed is echoed, no status line goes into
#   -oN, and the terminal is in its own mode again afterwards.
#
# Env (set by CTest): SCANTRACE_BIN, SCANTRACE_SOURCE_DIR, LAB_LISTENER.
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SCANTRACE_BIN=${SCANTRACE_BIN:-$SCANTRACE_SOURCE_DIR/build/scanner/scantrace}
LAB=$SCANTRACE_SOURCE_DIR/tests/lab/lab.sh

die() { echo "FAIL: $*" >&2; exit 1; }
[[ -x $SCANTRACE_BIN ]] || die "no scanner at $SCANTRACE_BIN (build it, or set SCANTRACE_BIN)"
[[ -f /usr/share/nmap/nmap.dtd ]] || die "no /usr/share/nmap/nmap.dtd (apt-get install nmap-common)"
for tool in nmap:nmap ndiff:ndiff python3:python3 xmllint:libxml2-utils; do
    command -v "${tool%%:*}" >/dev/null || die "no ${tool%%:*} (apt-get install ${tool#*:})"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/scanner-output.XXXXXX")
chmod 755 "$WORK"
. "$SCANTRACE_SOURCE_DIR/tests/lib/tshark.sh"
tshark_setup
trap '_tshark_cleanup; rm -rf "$WORK"' EXIT
export SCANTRACE_BIN WORK

# A grepable reader: one line per fact, "HOST status STATE",
# "HOST PORT/PROTO STATE SERVICE", "HOST ignored STATE COUNT".
cat >"$WORK/gnmap.py" <<'PY'
import re, sys
for line in open(sys.argv[1]):
    if line.startswith("#"):
        continue
    fields = line.rstrip("\n").split("\t")
    host = re.match(r"Host: (\S+) \(([^)]*)\)$", fields[0]).group(1)
    for field in fields[1:]:
        key, _, value = field.partition(": ")
        if key == "Status":
            print(host, "status", value)
        elif key == "Ports":
            for port in filter(None, value.split(", ")):
                number, state, proto, owner, service, rpc, version, rest = port.split("/")
                print(host, f"{number}/{proto}", state, service)
        elif key == "Ignored State":
            state, count = re.match(r"(\S+) \((\d+)\)$", value).groups()
            print(host, "ignored", state, count)
        else:
            sys.exit(f"unknown field {key!r} in {line!r}")
PY

# Runs a command on a pseudo-terminal, typing keys at given times (seconds
# after its first line); the transcript (what the terminal shows) goes to
# stdout. argv: SECONDS:KEYS,... CMD... (KEYS may hold \\x03, Ctrl-C)
cat >"$WORK/onpty.py" <<'PY'
import os, pty, select, sys, time
plan = [step.split(":", 1) for step in sys.argv[1].split(",")]
delays = [float(d) for d, _ in plan]
keys = [k.encode().decode("unicode_escape").encode() for _, k in plan]
argv = sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
start, out, typed = None, b"", 0
while True:
    wait = 0.1
    if start is None and b"\n" in out:
        start = time.monotonic()
    if start is not None and typed < len(keys):
        wait = max(0, start + delays[typed] - time.monotonic())
    ready, _, _ = select.select([fd], [], [], wait)
    if ready:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        out += data
    elif start is not None and typed < len(keys) and time.monotonic() >= start + delays[typed]:
        os.write(fd, keys[typed])
        typed += 1
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace").replace("\r\n", "\n"))
sys.exit(os.waitstatus_to_exitcode(status))
PY

# shellcheck disable=SC2016 # expanded by the inner shell
inner='
set -uo pipefail
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
cd "$WORK"
targets="$LAB_TARGET_IP $LAB_TARGET2_IP $LAB_DOWN_IP"
opts="-sS -n -v -p 1-60,$LAB_TCP_PORTS"
nmap $opts -oA nmap $targets >nmap.out 2>nmap.err || { cat nmap.err; exit 1; }
"$SCANTRACE_BIN" $opts -oA st -w st.pcapng $targets >st.out 2>st.err || { cat st.out st.err; exit 1; }
echo "$LAB_SCANNER_IP" >scanner.ip
check "the Starting line first" "head -n 1 st.out | grep -q \"^Starting scantrace \""
check "-oA: the three files" "[[ -s st.nmap && -s st.xml && -s st.gnmap ]]"
check "-oA: .gnmap is grepable" "grep -q \"^Host: $LAB_TARGET_IP ()	Ports: \" st.gnmap"
python3 gnmap.py nmap.gnmap | sort >nmap.facts
python3 gnmap.py st.gnmap | sort >st.facts
check "grepable: hosts, ports, states as nmap ($(wc -l <st.facts) facts)" \
    "[[ -s st.facts ]] && diff -u nmap.facts st.facts"
"$SCANTRACE_BIN" -sS -n -p 80 --append-output -oG st.gnmap "$LAB_TARGET2_IP" >/dev/null 2>&1
check "--append-output: a second scan after the first" \
    "[[ \$(grep -c \"^# scantrace done at \" st.gnmap) == 2 ]] && diff <(python3 gnmap.py st.gnmap | sed -n \"1,\$(wc -l <st.facts)p\" | sort) st.facts >/dev/null"
# --resume: a log cut after its first host, as an interrupted scan leaves it,
# is continued with its own options: the second host only, added to its file;
# its -w capture (pcapng, then pcap) keeps the first part'"'"'s packets and
# gets the second'"'"'s after them.
syns() { tshark -r "$1" -Y "tcp.flags == 0x002 && ip.dst == $2" 2>/dev/null | wc -l; }
for capture in cut.pcapng cut.pcap; do
    "$SCANTRACE_BIN" -sS -n -p 22,80 -oG cut.gnmap -w "$capture" "$LAB_TARGET_IP" "$LAB_TARGET2_IP" >/dev/null 2>&1
    cp cut.gnmap whole.gnmap
    first=$(syns "$capture" "$LAB_TARGET_IP")
    { head -n 3 whole.gnmap; echo "# scantrace interrupted by SIGINT at x -- 1 IP address (1 host up) scanned in 0.1 seconds"; } >cut.gnmap
    "$SCANTRACE_BIN" --resume cut.gnmap >resume.out 2>&1
    check "--resume ($capture): the hosts left only, the log completed" \
        "grep -qx \"Scan report for $LAB_TARGET2_IP\" resume.out && ! grep -q \"Scan report for $LAB_TARGET_IP\" resume.out && diff <(python3 gnmap.py whole.gnmap) <(python3 gnmap.py cut.gnmap)"
    check "--resume: $capture appended to: the first part'"'"'s $first SYNs to $LAB_TARGET_IP kept, the second'"'"'s to $LAB_TARGET2_IP after them" \
        "(( first >= 2 )) && [[ \$(syns $capture $LAB_TARGET_IP) == $first && \$(syns $capture $LAB_TARGET2_IP) -ge 4 ]] && capinfos $capture >/dev/null"
done
check "grepable: the host found down is listed (-v)" "grep -qx \"$LAB_DOWN_IP status Down\" st.facts"
check "grepable: one Ignored State per scanned host" "[[ \$(grep -c \" ignored closed \" st.facts) == 2 ]]"
discovered() { sed -n "s/^Discovered open port \(.*\) on \(.*\)$/\2 \1/p" "$1" | sort; }
grep " open " st.facts | cut -d" " -f1,2 | sort >open.facts
check "-v: Discovered lines for exactly the open ports ($(wc -l <open.facts))" \
    "[[ -s open.facts ]] && diff -u open.facts <(discovered st.out) && diff -u <(discovered nmap.out) <(discovered st.out)"
phases() { grep -E "^(Initiating|Scanning|Completed) " "$1" | grep -v DNS |
    sed -E "s/ at [0-9]{2}:[0-9]{2}/ at T/; s/[0-9]+\.[0-9]{2}s/Ns/"; }
check "-v: the phase lines as nmap prints them" "diff -u <(phases nmap.out) <(phases st.out)"
check "-v: phase lines only on the screen" "! grep -qE \"^(Initiating|Discovered)\" st.nmap"
# The lines around the done line, numbers and times left out.
ends() { grep -A1 -B1 -E "^(# )?(Nmap|scantrace) done" "$1" | sed -E "s/^(# )?(Nmap|scantrace) done.*/DONE/;
    s/^(Read data files from: ).*/\1DIR/; s/[0-9]+ \([0-9.]+[KM]?B\)/N (S)/g"; }
check "-v: data files and raw packets lines around the done line, as nmap" \
    "grep -q \"^Read data files from: /\" st.out && diff -u <(ends nmap.out) <(ends st.out)"
check "-oN: the data files line too, as nmap" "grep -q \"^Read data files from: /\" st.nmap && diff -u <(ends nmap.nmap) <(ends st.nmap)"
# A lone target found down: the "Host seems down" note on the screen only, as nmap.
nmap -sS -n -p 80 -oN nmap-down.nmap "$LAB_DOWN_IP" >nmap-down.out 2>&1
"$SCANTRACE_BIN" -sS -n -p 80 -oN st-down.nmap "$LAB_DOWN_IP" >st-down.out 2>&1
note() { grep -c "^Note: Host seems down. If it is really up, but blocking our ping probes, try -Pn$" "$1"; }
check "a lone host down: the Note on the screen, not in -oN, as nmap" \
    "[[ \$(note st-down.out) == 1 && \$(note st-down.nmap) == 0 && \$(note nmap-down.out) == 1 && \$(note nmap-down.nmap) == 0 ]]"
nmap -sT -Pn -n -v -p 22,80 "$LAB_TARGET_IP" >nmap-st.out 2>&1
"$SCANTRACE_BIN" -sT -Pn -n -v -p 22,80 "$LAB_TARGET_IP" >st-st.out 2>&1
check "-sT -Pn -v: no raw packets line, as nmap" "! grep -q \"Raw packets\" st-st.out && diff -u <(ends nmap-st.out) <(ends st-st.out)"
# -vv: the reasons as --reason gives them, and "Scanned at".
vv() { grep -E "^(Host is up|Scanned at|PORT|[0-9]+/tcp)" "$1" |
    sed -E "s/\([0-9.]+s latency\)/(L)/; s/^Scanned at .* UTC for [0-9]+s$/Scanned at/"; }
nmap -vv -sS -n -p 22,23 "$LAB_TARGET_IP" >nmap-vv.out 2>&1
"$SCANTRACE_BIN" -vv -sS -n -p 22,23 "$LAB_TARGET_IP" >st-vv.out 2>&1
check "-vv: reasons and Scanned at, as nmap" \
    "grep -q \"^Scanned at \" st-vv.out && diff -u <(vv nmap-vv.out) <(vv st-vv.out)"
"$SCANTRACE_BIN" $opts -oX - $targets >stdout.xml 2>stdout.err
tasks() { grep -oE "<task(begin|end) task=\"[^\"]*\"( time=\"[0-9]+\")?( extrainfo=\"[^\"]*\")?" "$1" | sed -E "s/ time=\"[0-9]+\"//"; }
check "-oX with -v: taskbegin and taskend as nmap" "[[ -n \$(tasks st.xml) ]] && diff -u <(tasks nmap.xml) <(tasks st.xml)"
check "-oX: valid against nmap.dtd" "xmllint --noout --dtdvalid /usr/share/nmap/nmap.dtd st.xml stdout.xml"
check "-oX -: XML alone on stdout" "head -c 5 stdout.xml | grep -q \"<?xml\" && tail -n 1 stdout.xml | grep -qx \"</nmaprun>\""
check "-oX -: ndiff finds it the same as nmap -oX" "ndiff nmap.xml stdout.xml >ndiff.out || { cat ndiff.out; false; }"

# 47 ports at 20 a second: about 3.5 s. Keys: "v" (verbosity up) at 0.05 s,
# during discovery, "?" (help) at 0.3 s, "#" (a status line) at 0.6 s, "p" and
# "P" (packet trace on, off) at 0.9 and 2.7 s (longer than a 1 s pause). stty -a: the terminal afterwards.
python3 onpty.py 0.05:v,0.3:?,0.6:#,0.9:p,2.7:P sh -c "\"\$SCANTRACE_BIN\" -sS -n -p 1-40,$LAB_TCP_PORTS --max-rate 20 --stats-every 1s -oN pty.nmap -oX pty.xml $LAB_TARGET_IP; stty -a" >pty.out 2>&1
stats="^Stats: 0:00:0[0-9] elapsed; 0 hosts completed \(1 up\), 1 undergoing SYN Stealth Scan$"
timing="^SYN Stealth Scan Timing: About [0-9]+\.[0-9]{2}% done(; ETC: [0-9]{2}:[0-9]{2} \([0-9]+:[0-9]{2}:[0-9]{2} remaining\))?$"
check "--stats-every 1s and a key: 3 status lines or more" "[[ \$(grep -cE \"\$stats\" pty.out) -ge 3 ]]"
check "status lines: each with its timing line in nmap form" \
    "[[ \$(grep -cE \"\$stats\" pty.out) == \$(grep -cE \"\$timing\" pty.out) ]]"
# (The first probes leave at once, before the key: an open port among them
# is found while the verbosity is still 0, and not said.)
said=$(sed -n "/^Verbosity Increased to 1.\$/,\$p" pty.out | grep -c "^Discovered open port ")
check "v key: verbosity raised, open ports said from then on only ($said)" \
    "[[ $said -gt 0 && \$(grep -c \"^Discovered open port \" pty.out) == $said ]]"
check "-oX: a taskprogress for each status line" \
    "[[ \$(grep -cE \"^<taskprogress task=\\\"SYN Stealth Scan\\\" time=\\\"[0-9]+\\\" percent=\\\"[0-9.]+\\\"( remaining=\\\"[0-9]+\\\" etc=\\\"[0-9]+\\\")?/>$\" pty.xml) == \$(grep -cE \"\$stats\" pty.out) ]] && xmllint --noout --dtdvalid /usr/share/nmap/nmap.dtd pty.xml"
check "? key: nmap'"'"'s list of keys" "grep -qx \"Interactive keyboard commands:\" pty.out"
traced=$(sed -n "/^Packet Tracing enabled.\$/,/^Packet Tracing disabled.\$/p" pty.out | grep -c "^SENT (")
check "p, P keys: packets traced between them only ($traced)" \
    "[[ $traced -gt 0 && \$(grep -c \"^SENT (\" pty.out) == $traced ]]"
check "keys not echoed" "! grep -q \"#\" pty.out"
# -vv, then "V" twice (verbosity 0) or once (1) during the scan, by nmap
# and scantrace: the host report and the last lines follow the verbosity at
# their time, as nmap'"'"'s (o.verbose): no -vv "Scanned at" line either way; at
# 0 no "Read data files" and no "Raw packets" line.
facts() { # TRANSCRIPT: the lines the verbosity decides, in order
    grep -oE "^(Verbosity Decreased to [0-9].|Scanned at|Read data files from:|           Raw packets sent:|Not shown: [0-9]+ [a-z]+ tcp ports)" "$1" |
        sed "s/^ *//"
}
for keys in 0.3:V,0.6:V 0.3:V; do
    name=vkeys-${keys//[:,.]/}
    for tool in nmap "$SCANTRACE_BIN"; do
        python3 onpty.py "$keys" sh -c "\"$tool\" -vv -sS -n -p 1-20,$LAB_TCP_PORTS --max-rate 20 $LAB_TARGET_IP" >"$name.$(basename "$tool").out" 2>&1
    done
    facts "$name.nmap.out" >"$name.nmap.facts"
    facts "$name.$(basename "$SCANTRACE_BIN").out" >"$name.st.facts"
    # nmap reads the keys only while it scans, and at times it ends before
    # the second (a CI run saw it): then the rule decides at the level
    # scantrace reached, each key of which it must have acted on; nmap at
    # level 1 prints both lines, at 0 neither.
    level() { sed -n "s/^Verbosity Decreased to \([0-9]\)\./\1/p" "$1" | tail -n 1; }
    cp "$name.nmap.facts" "$name.want"
    if [[ $(level "$name.nmap.facts") != "$(level "$name.st.facts")" ]]; then
        echo "note nmap read $(grep -c "^Verbosity" "$name.nmap.facts") of the keys $keys before it ended; the rule at the level scantrace reached"
        grep "^Verbosity" "$name.st.facts" >"$name.want" || true
        st_level=$(level "$name.st.facts")
        if ((${st_level:-0} >= 1)); then printf "%s\n" "Read data files from:" "Raw packets sent:" >>"$name.want"; fi
    fi
    check "-vv, keys $keys: the lines the verbosity decides as nmap'"'"'s ($(paste -sd"," "$name.st.facts"))" \
        "[[ \$(grep -c \"^Verbosity Decreased\" $name.st.facts) == $(tr -cd V <<<"$keys" | wc -c) ]] && diff -u $name.want $name.st.facts"
done
# --noninteractive: the terminal stays as it is (what is typed is echoed) and
# no key acts.
python3 onpty.py 0.05:# sh -c "\"\$SCANTRACE_BIN\" --noninteractive -sS -n -p 1-10 --max-rate 20 $LAB_TARGET_IP" >quiet.out 2>&1
check "--noninteractive: the key echoed, not acted on" "grep -q \"#\" quiet.out && ! grep -q \"^Stats: \" quiet.out"
check "-oN: no status line, no key" "! grep -qE \"^(Stats|SYN Stealth|Verbosity)\" pty.nmap && [[ \$(grep -c \"#\" pty.nmap) == 2 ]]"
check "terminal restored (echo, icanon)" "grep -qE \"(^| )icanon( |$)\" pty.out && grep -qE \"(^| )echo( |$)\" pty.out"
# A second signal ends the process in its signal handler, which must give the
# terminal its mode back too. SIGINT and SIGTERM sent while it is stopped are
# both pending when it goes on: one is the first, the other the second.
python3 onpty.py 9:x sh -c "\"\$SCANTRACE_BIN\" -sS -n -p 1-100 --max-rate 20 $LAB_TARGET_IP </dev/tty & pid=\$!
    sleep 0.5; kill -STOP \$pid; kill -INT \$pid; kill -TERM \$pid; kill -CONT \$pid
    wait \$pid; echo rc=\$?; stty -a" >signals.out 2>&1
check "a second signal: killed by it, the terminal restored" \
    "grep -qE \"^rc=(130|143)$\" signals.out && grep -qE \"(^| )icanon( |$)\" signals.out && grep -qE \"(^| )echo( |$)\" signals.out"
check "no sanitizer report anywhere" "! grep -lE \"(Address|Leak|UndefinedBehavior)Sanitizer|runtime error:\" ./*.out ./*.err"
[[ $fail == 0 ]] || { echo "--- scantrace"; cat st.out st.err; echo "--- pty"; cat pty.out; }
exit $fail
'
status=0
"$LAB" run bash -c "$inner" || status=1

# The raw packets' count against scantrace's own capture of the scan, read by
# tshark as nobody with the plugin: sent, the probes and ARP requests it
# tagged (the kernel's resets and its own ARP requests are not scantrace's);
# received, what is addressed to it.
ip=$(cat "$WORK/scanner.ip")
counts=$(sed -nE "s/^           Raw packets sent: ([0-9]+) \([0-9.]+[KM]?B\) \| Rcvd: ([0-9]+) \([0-9.]+[KM]?B\)$/\1 \2/p" "$WORK/st.out")
capture=$(tshark_file "$WORK/st.pcapng")
out=$(tshark_unpriv -r "$capture" -Y "scantrace.tag && (arp.src.proto_ipv4==$ip || ip.src==$ip)" | wc -l)
in=$(tshark_unpriv -r "$capture" -Y "(arp.opcode==2 && arp.dst.proto_ipv4==$ip) || ip.dst==$ip" | wc -l)
if [[ $out -gt 0 && $counts == "$out $in" ]]; then
    echo "ok   -v: raw packets sent and received as in the -w capture ($out, $in)"
else
    echo "FAIL -v: raw packets sent and received as in the -w capture: printed '$counts', captured '$out $in'"
    status=1
fi
exit $status
