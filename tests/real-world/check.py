#!/usr/bin/env python3
"""Holds the plugin to real-world right values.

    check.py --tshark-cmd 'CMD...' [--gen DIR] [--shared DIR] EXPECT_FILE...

Each EXPECT_FILE is a list of cases, one block each (the format of
shared/cases/expect.txt, plus `report`):

    case ID FILE                           the capture; a FILE that does not exist skips the case
    port TARGET PORT/PROTO VERDICT REASON  every probe of that port carries exactly (VERDICT, REASON)
    count 'DISPLAY FILTER' OP N            frames matching the filter with -2; OP is == or >=
    rest TARGET PROTO N VERDICT REASON     every other probed port of TARGET/PROTO (no `port`
                                           line of this case names it) carries exactly (VERDICT,
                                           REASON), and there are N of them: the right values
                                           of a big capture that has no nmap report
    report TARGET PROTO NMAP_REPORT [SECTION]
        every port of TARGET/PROTO in nmap's -oN report has the plugin's verdict:
        a listed PORT line gives the state (and the reason, where the report has a
        REASON column); "Not shown: N closed ports (reason)" gives the state (and
        reason) of every other port the plugin labelled probed, and N is how many
        such ports there must be. A listed port the plugin did not label fails.
        SECTION picks one block of a file holding several reports, under a header
        line in capitals (austin__stats.txt: NULL_SCAN, XMAS SCAN, HALF_SYN, ...);
        a prefix of the header is enough.

FILE and NMAP_REPORT may start with @CASES (= SHARED/cases), @PUB
(= SHARED/public-scan-captures) or @GEN (= the --gen folder); any other relative
path is relative to the EXPECT_FILE. SHARED is --shared, else $SCANTRACE_SHARED,
else ../shared beside the source tree. A missing capture or report skips the case.

tshark runs once per capture, --jobs at a time, as `CMD -r FILE -2 ...` (CMD is
split like a shell word list, so it may be a wrapper that runs tshark as nobody
with the plugin): fields of the probe frames (scantrace.role == "probe") plus an
io,stat tap with every count filter of that capture (a filter with a comma, which
io,stat cannot take, costs a run of its own). Probes whose verdict is up or down (host
discovery) judge the host, not a port, and are ignored.

Prints PASS/FAIL/SKIP per case, then 'N passed, N failed, N skipped'. Exit
status: 0 when nothing failed, 1 otherwise (2 on a bad command line or file).
"""

import argparse
import collections
import concurrent.futures
import os
import re
import shlex
import subprocess
import sys
import time

# scantrace.target is an IPv4 target, scantrace.target6 an IPv6 one (one field per
# family, as Wireshark's ip.dst and ipv6.dst): a frame has one or the other.
FIELDS = ['frame.number', 'scantrace.role', 'scantrace.target', 'scantrace.port',
          'scantrace.proto', 'scantrace.verdict', 'scantrace.reason', 'scantrace.target6']
# For messages only: where a frame to a port carries no scantrace label at all.
RAW = ['ip.dst', 'ipv6.dst', 'tcp.dstport', 'udp.dstport']
SELECT = 'scantrace.role == "probe" || ((tcp || udp) && !icmp && !icmpv6 && !scantrace)'
AGG = ';'            # tshark's aggregator for fields that occur more than once in a frame
SHOW = 10            # mismatches printed per assertion
HOST_VERDICTS = ('up', 'down')
STATES = {'open', 'closed', 'filtered', 'unfiltered', 'open|filtered', 'closed|filtered'}


class BadInput(Exception):
    pass


# ---------------------------------------------------------------- expect files

def resolve(path, base, prefixes):
    """Path with its @PREFIX replaced; None when the prefix has no folder."""
    for name, folder in prefixes.items():
        if path == name or path.startswith(name + '/'):
            if not folder:
                return None
            return os.path.normpath(folder + path[len(name):])
    if path.startswith('@'):
        raise BadInput('unknown prefix in %s' % path)
    return os.path.normpath(os.path.join(base, path))


def read_expect(path, prefixes):
    base = os.path.dirname(os.path.abspath(path))
    cases, cur = [], None
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            try:
                w = shlex.split(line)
            except ValueError as e:
                raise BadInput('%s:%d: %s' % (path, lineno, e))
            where = '%s:%d' % (os.path.basename(path), lineno)
            kind = w[0]
            if kind == 'case':
                if len(w) != 3:
                    raise BadInput('%s: case ID FILE' % where)
                cur = {'id': w[1], 'spec': w[2], 'file': resolve(w[2], base, prefixes),
                       'asserts': [], 'where': where}
                cases.append(cur)
                continue
            if cur is None:
                raise BadInput('%s: %s before any case' % (where, kind))
            if kind == 'port':
                if len(w) != 5 or not re.fullmatch(r'\d+/[a-z]+', w[2]):
                    raise BadInput('%s: port TARGET PORT/PROTO VERDICT REASON' % where)
            elif kind == 'count':
                if len(w) != 4 or w[2] not in ('==', '>=') or not w[3].isdigit():
                    raise BadInput("%s: count 'FILTER' ==|>= N" % where)
            elif kind == 'rest':
                if len(w) != 6 or not w[3].isdigit():
                    raise BadInput('%s: rest TARGET PROTO N VERDICT REASON' % where)
            elif kind == 'report':
                if len(w) not in (4, 5):
                    raise BadInput('%s: report TARGET PROTO NMAP_REPORT [SECTION]' % where)
                w = w + [None] * (5 - len(w))
                w.append(resolve(w[3], base, prefixes))
            else:
                raise BadInput('%s: unknown assertion %s' % (where, kind))
            cur['asserts'].append(w)
    return cases


# ---------------------------------------------------------------- nmap -oN reports

HEADER = re.compile(r'^[A-Z][A-Z0-9_ ]*[A-Z0-9]$')


def norm(s):
    return re.sub(r'[\s_]+', ' ', s.strip()).upper()


def section_lines(lines, section):
    """The lines of the block under the header line SECTION (or a prefix of it)."""
    starts = [i for i, l in enumerate(lines)
              if HEADER.match(l.strip()) and not l.startswith('PORT ')]
    want = norm(section)
    hits = [i for i in starts if norm(lines[i]) == want] or \
           [i for i in starts if norm(lines[i]).startswith(want)]
    if len(hits) != 1:
        raise BadInput('section %r: %s (headers: %s)' % (
            section, 'not found' if not hits else 'ambiguous',
            ', '.join(lines[i].strip() for i in starts)))
    i = hits[0]
    nxt = [j for j in starts if j > i]
    return lines[i + 1:nxt[0] if nxt else len(lines)]


def plural_reason(word):
    """nmap 7.70's 'Reason: 997 resets' -> reset."""
    if word.endswith('unreaches'):
        return word[:-2]
    return word[:-1] if word.endswith('s') else word


def parse_report(path, section, target, proto):
    """(listed, hidden) of TARGET/PROTO in nmap's -oN report.

    listed: {port: (state, reason or None)}; hidden: [(count, state, {reason: n} or None)]."""
    with open(path, errors='replace') as f:
        lines = f.read().splitlines()
    if section:
        lines = section_lines(lines, section)
    block, inside = [], False
    for l in lines:
        m = re.match(r'(?:# )?Nmap scan report for (\S+)(?: \((\S+)\))?\s*$', l.strip())
        if m:
            inside = target in (m.group(1), m.group(2))
            continue
        if re.match(r'(?:# )?Nmap done', l.strip()):
            inside = False
        if inside:
            block.append(l.rstrip())
    if not block:
        raise BadInput('no "Nmap scan report for %s" in %s%s' % (
            target, os.path.basename(path), ' section %s' % section if section else ''))
    listed, hidden, reason_col = {}, [], None
    for l in block:
        s = l.strip()
        if s.startswith('PORT ') and 'STATE' in s:
            cols = s.split()
            reason_col = cols.index('REASON') if 'REASON' in cols else None
            continue
        m = re.match(r'(\d+)/([a-z]+)\s+(\S+)', s)
        if m:
            if m.group(2) != proto:
                continue
            state = m.group(3)
            if state not in STATES:
                raise BadInput('%s: unknown state in %r' % (os.path.basename(path), s))
            words = s.split()
            reason = words[reason_col] if reason_col is not None and len(words) > reason_col else None
            listed[int(m.group(1))] = (state, reason)
            continue
        if s.startswith('Not shown:'):
            for part in s[len('Not shown:'):].split(','):
                m = re.match(r'\s*(\d+) (\S+) (?:(tcp|udp|sctp) )?ports?(?: \(([^)]*)\))?\s*$', part)
                if not m:
                    raise BadInput('%s: cannot read %r' % (os.path.basename(path), s))
                if m.group(3) and m.group(3) != proto:
                    continue
                reasons = {m.group(4): int(m.group(1))} if m.group(4) else None
                hidden.append([int(m.group(1)), m.group(2), reasons])
            continue
        m = re.match(r'Reason: (.*)$', s)   # nmap before 7.80, with --reason
        if m and hidden:
            reasons = {}
            for part in re.split(r',| and ', m.group(1)):
                mm = re.match(r'\s*(\d+) (\S+)\s*$', part)
                if mm:
                    reasons[plural_reason(mm.group(2))] = int(mm.group(1))
            if len(hidden) == 1:
                hidden[0][2] = reasons
    merged = {}   # "998 filtered tcp ports (no-response), 2 filtered tcp ports (host-unreach)"
    for count, state, reasons in hidden:
        m = merged.setdefault(state, [0, state, {}])
        m[0] += count
        if reasons is None or m[2] is None:
            m[2] = None
        else:
            for r, n in reasons.items():
                m[2][r] = m[2].get(r, 0) + n
    return listed, [tuple(h) for h in merged.values()]


# ---------------------------------------------------------------- tshark

def io_stat_counts(out, nfilters):
    """The Frames column of each filter from the io,stat table at the end of OUT."""
    for line in reversed(out.splitlines()):
        if line.startswith('|') and '<>' in line:
            cells = [c.strip() for c in line.strip().strip('|').split('|')]
            vals = [c for c in cells[1:] if c]   # a long filter pads the row with empty cells
            if len(vals) != 2 * nfilters:
                break
            return [int(vals[2 * i]) for i in range(nfilters)]
    return None


def run_tshark(cmd, capture, filters):
    """One tshark run: probe fields, and the frame count of each filter."""
    stat = [f for f in filters if ',' not in f]
    args = cmd + ['-r', capture, '-2', '-Y', SELECT, '-T', 'fields',
                  '-E', 'separator=/t', '-E', 'aggregator=' + AGG, '-E', 'occurrence=a']
    for f in FIELDS + RAW:
        args += ['-e', f]
    if stat:
        args += ['-z', 'io,stat,0,' + ','.join(stat)]
    t = time.time()
    r = subprocess.run(args, capture_output=True, text=True, errors='replace')
    errors, counts = [], {}
    if r.returncode != 0:
        errors.append('tshark exit status %d' % r.returncode)
    bad = [l for l in r.stderr.splitlines() if l.strip() and 'Running as user' not in l]
    if bad:
        errors.append('tshark stderr: ' + ' | '.join(bad)[:300])
    out = r.stdout
    if stat:
        vals = io_stat_counts(out, len(stat))
        if vals is None:
            errors.append('no io,stat table in tshark output')
        else:
            counts.update(zip(stat, vals))
        cut = out.rfind('\n=====')
        if cut >= 0:
            out = out[:cut]
    for f in filters:   # a filter with a comma cannot go into io,stat
        if f in stat:
            continue
        r2 = subprocess.run(cmd + ['-r', capture, '-2', '-Y', f, '-T', 'fields', '-e', 'frame.number'],
                            capture_output=True, text=True, errors='replace')
        if r2.returncode != 0:
            errors.append('tshark -Y %r: exit status %d %s' % (f, r2.returncode, r2.stderr.strip()[:200]))
        counts[f] = len([l for l in r2.stdout.splitlines() if l.strip()])
    probes = collections.defaultdict(lambda: collections.defaultdict(set))
    unlabelled = collections.defaultdict(set)
    for line in out.splitlines():
        cols = line.split('\t')
        if len(cols) < len(FIELDS) + len(RAW):
            continue
        if not cols[1]:    # no scantrace label: the innermost destination and port
            ip4, ip6, tport, uport = [c.split(AGG)[-1] for c in cols[len(FIELDS):]]
            dst, port = ip4 or ip6, tport or uport
            if dst and port.isdigit():
                unlabelled[(dst, 'tcp' if tport else 'udp')].add(int(port))
            continue
        vals = [c.split(AGG) for c in cols[1:len(FIELDS)]]
        n = max(len(v) for v in vals)
        for i in range(n):
            role, target, port, proto, verdict, reason, target6 = [
                v[i] if i < len(v) else '' for v in vals]
            target = target or target6
            if role != 'probe' or verdict in HOST_VERDICTS:
                continue
            probes[(target, proto)][port].add((verdict, reason))
    return {'probes': probes, 'unlabelled': unlabelled, 'counts': counts, 'errors': errors,
            'secs': time.time() - t}


# ---------------------------------------------------------------- assertions

def show(items):
    items = list(items)
    text = '; '.join(items[:SHOW])
    if len(items) > SHOW:
        text += '; ... (+%d more)' % (len(items) - SHOW)
    return text


def fmt(have):
    return ', '.join(sorted('%s/%s' % h for h in have)) or 'nothing labelled'


def check_port(a, res, case):
    _, target, pp, verdict, reason = a
    port, proto = pp.split('/')
    have = res['probes'].get((target, proto), {}).get(port, set())
    if have != {(verdict, reason)}:
        return ['%s %s: want %s/%s, got %s' % (target, pp, verdict, reason, fmt(have))]
    return []


def check_count(a, res, case):
    _, flt, op, n = a
    k = res['counts'].get(flt)
    if k is None:
        return ['count [%s]: not counted' % flt]
    if (k == int(n)) if op == '==' else (k >= int(n)):
        return []
    return ['count [%s] want %s %s, got %d' % (flt, op, n, k)]


def check_report(a, res, case):
    _, target, proto, spec, section, path = a
    listed, hidden = parse_report(path, section, target, proto)
    got = {int(p): v for p, v in res['probes'].get((target, proto), {}).items() if p.isdigit()}
    what = '%s/%s vs %s%s' % (target, proto, os.path.basename(path), ' ' + section if section else '')
    bad = []
    for port in sorted(listed):
        state, reason = listed[port]
        have = got.get(port, set())
        ok = have == {(state, reason)} if reason else bool(have) and {v for v, _ in have} == {state}
        if not ok:
            bad.append('%d want %s%s, got %s' % (port, state, '/' + reason if reason else '', fmt(have)))
    others = sorted(p for p in got if p not in listed)
    by_state = collections.Counter()
    by_reason = collections.Counter()
    allowed = {h[1]: h[2] for h in hidden}
    for port in others:
        have = got[port]
        states = {v for v, _ in have}
        if len(states) != 1 or next(iter(states)) not in allowed:
            want = ' or '.join(allowed) or 'not probed (the report lists no other port)'
            bad.append('%d want %s, got %s' % (port, want, fmt(have)))
            continue
        state = next(iter(states))
        by_state[state] += 1
        reasons = allowed[state]
        if reasons is not None:
            rs = {r for _, r in have}
            if len(rs) != 1 or next(iter(rs)) not in reasons:
                bad.append('%d want %s/%s, got %s' % (port, state, '|'.join(reasons), fmt(have)))
                continue
            by_reason[(state, next(iter(rs)))] += 1
    notes = []
    for count, state, reasons in hidden:
        if by_state[state] != count:
            notes.append('report hides %d %s ports, the plugin labelled %d other ports %s' % (
                count, state, by_state[state], state))
        for r, n in (reasons or {}).items():
            if len(reasons) > 1 and by_reason[(state, r)] != n:
                notes.append('report hides %d %s/%s ports, the plugin labelled %d' % (
                    n, state, r, by_reason[(state, r)]))
    if bad:
        notes.insert(0, '%d of %d ports differ: %s' % (len(bad), len(set(listed) | set(others)), show(bad)))
    quiet = sorted(res['unlabelled'].get((target, proto), set()) - set(got))
    if quiet and (notes or any(p not in got for p in listed)):
        notes.append('frames to %d ports carry no scantrace label: %s' % (
            len(quiet), show(str(p) for p in quiet)))
    return ['report %s: %s' % (what, n) for n in notes]


def check_rest(a, res, case):
    _, target, proto, n, verdict, reason = a
    named = {b[2].split('/')[0] for b in case['asserts']
             if b[0] == 'port' and b[1] == target and b[2].split('/')[1] == proto}
    got = res['probes'].get((target, proto), {})
    others = sorted((p for p in got if p not in named), key=lambda p: (len(p), p))
    bad = ['%s want %s/%s, got %s' % (p, verdict, reason, fmt(got[p]))
           for p in others if got[p] != {(verdict, reason)}]
    notes = []
    if bad:
        notes.append('%d of %d ports differ: %s' % (len(bad), len(others), show(bad)))
    if len(others) != int(n):
        notes.append('want %s other probed ports, the plugin labelled %d' % (n, len(others)))
    return ['rest %s/%s: %s' % (target, proto, x) for x in notes]


CHECKS = {'port': check_port, 'count': check_count, 'report': check_report, 'rest': check_rest}


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--tshark-cmd', default='tshark',
                    help="the command that runs tshark with the plugin (split like shell words)")
    ap.add_argument('--gen', help='the folder @GEN names (the generated captures)')
    ap.add_argument('--shared', help='the shared folder (default $SCANTRACE_SHARED, else ../shared)')
    ap.add_argument('--jobs', '-j', type=int, default=min(4, os.cpu_count() or 1),
                    help='tshark runs at a time (default: the number of CPUs, at most 4)')
    ap.add_argument('expect', nargs='+')
    opt = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    shared = opt.shared or os.environ.get('SCANTRACE_SHARED') or \
        os.path.normpath(os.path.join(here, '..', '..', '..', 'shared'))
    prefixes = {'@CASES': os.path.join(shared, 'cases'),
                '@PUB': os.path.join(shared, 'public-scan-captures'),
                '@GEN': opt.gen}
    cmd = shlex.split(opt.tshark_cmd)
    try:
        cases = []
        for e in opt.expect:
            cases += read_expect(e, prefixes)
    except (OSError, BadInput) as e:
        print('check.py: %s' % e)
        return 2

    # Which cases run, and every count filter of each capture: one tshark run per capture.
    filters = collections.defaultdict(list)
    for c in cases:
        missing = [x for x in [c['file']] + [a[-1] for a in c['asserts'] if a[0] == 'report']
                   if not x or not os.path.isfile(x)]
        c['skip'] = missing and ('%s is missing' % (missing[0] or c['spec']))
        if not c['skip']:
            for a in c['asserts']:
                if a[0] == 'count' and a[1] not in filters[c['file']]:
                    filters[c['file']].append(a[1])

    # The runs go on --jobs at a time; results print in the order of the cases.
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, opt.jobs))
    runs, seen, npass, nfail, nskip, t0 = {}, set(), 0, 0, 0, time.time()
    for c in cases:
        if not c['skip'] and c['file'] not in runs:
            runs[c['file']] = pool.submit(run_tshark, cmd, c['file'], filters[c['file']])
    for c in cases:
        if c['skip']:
            print('SKIP %-4s %s: %s' % (c['id'], c['spec'], c['skip']))
            nskip += 1
            continue
        first = c['file'] not in seen
        seen.add(c['file'])
        res = runs[c['file']].result()
        notes = list(res['errors']) if first else \
            ['tshark failed on this capture (above)'] if res['errors'] else []
        for a in c['asserts']:
            try:
                notes += CHECKS[a[0]](a, res, c)
            except (OSError, BadInput) as e:
                notes.append('%s: %s' % (a[0], e))
        ok = not notes and not res['errors']
        print('%s %-4s %s  (%.1fs)%s' % ('PASS' if ok else 'FAIL', c['id'], c['spec'],
              res['secs'] if first else 0.0, ''.join('\n       ' + n for n in notes)))
        npass += ok
        nfail += not ok
        sys.stdout.flush()
    pool.shutdown()
    print('tshark ran %d times, %d at a time, in %.1fs' % (len(runs), max(1, opt.jobs), time.time() - t0))
    print('%d passed, %d failed, %d skipped' % (npass, nfail, nskip))
    return 1 if nfail else 0


if __name__ == '__main__':
    sys.exit(main())
