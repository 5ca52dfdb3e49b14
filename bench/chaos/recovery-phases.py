#!/usr/bin/env python3
"""Splits each fault's recovery in `iinet chaos --out DIR` runs (node logs at IINET_LOG_LEVEL=Debug) into
(a) the restarted `iinet node` process's start to its consensus journal recovered, and (b) from there to the replica
certifying the subnet's height at the heal, itself split into (b1) to the first height finalized from peers (above what
the journal replays; any for a wipe) and (b2) the rest. Pause faults have no process start: only the tool's recovery.
usage: python3 bench/chaos/recovery-phases.py DIR...  (one line per fault)"""
import json, re, sys

def seconds(s):
    h, m, rest = s.split(':')
    return int(h) * 3600 + int(m) * 60 + float(rest)

def fmt(v):
    return f"{v:6.2f}" if v is not None else "     -"

for d in sys.argv[1:]:
    summary = json.load(open(f"{d}/summary.json"))
    starts, recovered, certified, finalized = {}, {}, {}, {}
    for r in range(summary['replicas']):
        starts[r], recovered[r], certified[r], finalized[r] = [], [], [], []
        for line in open(f"{d}/node-{r}.log", errors='replace'):
            if m := re.match(r"=== (\d\d:\d\d:\d\d\.\d+) start (\d+)", line):
                starts[r].append(seconds(m.group(1)))
            elif m := re.match(r"(\d\d:\d\d:\d\d\.\d+) .*journal recovered", line):
                recovered[r].append(seconds(m.group(1)))
            else:
                if m := re.match(r"(\d\d:\d\d:\d\d\.\d+) .*: (?:Certified|CatchUpApplied) h=(\d+)", line):
                    certified[r].append((seconds(m.group(1)), int(m.group(2))))
                if m := re.match(r"(\d\d:\d\d:\d\d\.\d+) .*: (?:Finalized|CatchUpApplied) h=(\d+)", line):
                    finalized[r].append((seconds(m.group(1)), int(m.group(2))))
    used = {r: 1 for r in starts}  # start 1 is the run's own start; each restart, kill or wipe heals with the next
    for f in summary['faults']:
        for r in f['targets']:
            head = f"{d.rstrip('/').split('/')[-1]} {f['kind']:8} r{r} height at heal {f['height_at_heal']:4} recovery {f['recovery_s']}"
            if f['kind'] in ('pause', 'partition'):
                print(head)
                continue
            i = used[r]
            used[r] += 1
            if i >= len(starts[r]):
                print(head, "(no process start found)")
                continue
            s = starts[r][i]
            j = next((x for x in recovered[r] if x >= s), None)
            c = next((x for x, h in certified[r] if x >= s and h >= f['height_at_heal']), None)
            before = 0 if f['kind'] == 'wipe' else max([h for x, h in finalized[r] if x < s] or [0])
            first = next((x for x, h in finalized[r] if j and x >= j and h > before), None)
            a = j - s if j else None
            b = c - j if c and j else None
            b1 = first - j if first and j else None
            b2 = c - first if c and first else None
            print(f"{head} (a) {fmt(a)} (b) {fmt(b)} = (b1) {fmt(b1)} + (b2) {fmt(b2)}")
