#!/usr/bin/env bash
# The tree: the tag's and the cookie's fields sit on their bytes (so clicking one
# highlights them), and say what the wire says; every scan packet has a plain
# words line (scantrace.explain) unless the preference turns it off.
#  - every probe of our scans carries the tag: kind 253, ExID 0x5354, version 1,
#    the try and scan id the analysis gives (scantrace.try, .scan_id);
#  - on a TCP probe the tag item covers exactly the bytes of the TCP option
#    Wireshark's own TCP dissector shows as kind 253, the cookie the bytes of
#    tcp.seq, on its reply those of tcp.ack; every cookie checks;
#  - scantrace.explain is on every scan packet, and gone with
#    -o scantrace.explain:FALSE.
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$SCANTRACE_SOURCE_DIR/tests/lib/tshark.sh"

fail() {
    echo "FAIL: $*"
    exit 1
}

TSHARK_LEAKS=0 # plugin_expected looks for leaks on the same captures
tshark_setup
for name in syn-scan udp-scan discovery syn-retries; do
    cap=$(tshark_file "$SCANTRACE_SOURCE_DIR/captures/$name.pcapng")
    bad=$(tshark_unpriv -r "$cap" -2 -Y 'scantrace.role == "probe"' -T fields \
        -e frame.number -e scantrace.tag.kind -e scantrace.tag.exid -e scantrace.tag.version \
        -e scantrace.tag.try -e scantrace.try -e scantrace.tag.scan_id -e scantrace.scan_id |
        awk -F'\t' '$2 != 253 || $3 != "0x5354" || $4 != 1 || $5 != $6 || $7 != $8')
    [[ -z $bad ]] || fail "$name: probes whose tag fields are wrong:"$'\n'"$bad"
    # (In Wireshark 4.0 '!field' means the field is absent, so a False
    # checks item needs '== 0': the scanner's teardown RSTs showed one.)
    bad=$(tshark_unpriv -r "$cap" -2 -Y 'scantrace.cookie.checks == 0' -T fields -e frame.number)
    [[ -z $bad ]] || fail "$name: cookies that do not check, frames $bad"
    cookies=$(tshark_unpriv -r "$cap" -2 -Y 'scantrace.cookie' | wc -l)
    # (ARP pings, all discovery.pcapng holds, carry no cookie.)
    ((cookies > 0)) || [[ $name == discovery ]] || fail "$name: no cookie fields"
    missing=$(tshark_unpriv -r "$cap" -2 -Y 'scantrace.role && !scantrace.explain' -T fields -e frame.number)
    [[ -z $missing ]] || fail "$name: frames without a plain words line: $missing"
    off=$(tshark_unpriv -r "$cap" -2 -o scantrace.explain:FALSE -Y 'scantrace.explain' | wc -l)
    ((off == 0)) || fail "$name: scantrace.explain shown with the preference off"
    echo "ok   $name: tag fields right on every probe, $cookies frames with a cookie, all check; plain words on every scan packet"
done

# On the bytes: PDML gives each field's position and size.
cap=$(tshark_file "$SCANTRACE_SOURCE_DIR/captures/syn-scan.pcapng")
pdml=$(tshark_unpriv -r "$cap" -2 -T pdml -Y 'frame.number <= 2')
pos() { # FIELD [SHOWN-VALUE]: "pos size" of the field's elements in frame 1, then 2
    grep -E "name=\"$1\"" <<<"$pdml" | sed -E 's/.* size="([0-9]+)" pos="([0-9]+)".*/\2 \1/; s/.* pos="([0-9]+)".* size="([0-9]+)".*/\1 \2/'
}
tag=$(pos scantrace.tag | head -1)
option=$(grep -E 'name="tcp.option_kind" .*show="253"' <<<"$pdml" | head -1 |
    sed -E 's/.* pos="([0-9]+)".*/\1/')
[[ ${tag% *} == "$option" && ${tag#* } == 10 ]] ||
    fail "the tag item is at '$tag', the TCP option kind 253 at byte $option (10 bytes)"
seq=$(pos tcp.seq_raw | head -1)
ack=$(pos tcp.ack_raw | sed -n 2p)
cookies=$(pos scantrace.cookie)
[[ $(head -1 <<<"$cookies") == "$seq" && $(sed -n 2p <<<"$cookies") == "$ack" ]] ||
    fail "cookies at '$cookies', want the probe's tcp.seq ($seq) and the reply's tcp.ack ($ack)"
echo "ok   the tag covers TCP option 253's bytes ($tag), the cookie tcp.seq's ($seq) and the reply's tcp.ack's ($ack)"

# Our ARP pings carry the tag in the Ethernet padding: the plugin claims it
# (scantrace.arp_tag), so Ethernet's "undecoded trailer" note is on none.
cap=$(tshark_file "$SCANTRACE_SOURCE_DIR/captures/discovery.pcapng")
requests=$(tshark_unpriv -r "$cap" -Y 'arp.opcode == 1 && scantrace.tag' | wc -l)
claimed=$(tshark_unpriv -r "$cap" -Y 'arp.opcode == 1 && scantrace.arp_tag' | wc -l)
notes=$(tshark_unpriv -r "$cap" -Y 'arp && _ws.expert.group == "Protocol"' | wc -l)
((requests > 0 && claimed == requests && notes == 0)) ||
    fail "tagged ARP requests: $requests, their padding claimed on $claimed, protocol notes on $notes"
echo "ok   the tag in the padding of all $requests tagged ARP requests is claimed, no undecoded-trailer note"
echo ok
