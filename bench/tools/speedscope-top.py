#!/usr/bin/python3
"""Top frames of a dotnet-trace speedscope file: inclusive and exclusive time per frame, summed over threads.

Usage: bench/tools/speedscope-top.py FILE.speedscope.json [N] [--grep TEXT] [--leaf CPU_TIME]
Threads' time blocked in waits is mostly attributed to wait frames; read the inclusive column with that in mind.
"""
import json
import sys
from collections import defaultdict

path = sys.argv[1]
top = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2].isdigit() else 40
grep = sys.argv[sys.argv.index("--grep") + 1] if "--grep" in sys.argv else None
# --leaf CPU_TIME: count only time whose innermost frame is that pseudo-frame (managed code on CPU).
leaf = sys.argv[sys.argv.index("--leaf") + 1] if "--leaf" in sys.argv else None
doc = json.load(open(path))
frames = [f["name"] for f in doc["shared"]["frames"]]
inclusive = defaultdict(float)
exclusive = defaultdict(float)
total = 0.0
for profile in doc["profiles"]:
    if profile["type"] == "evented":
        stack = []
        last = profile["startValue"]
        for event in profile["events"]:
            at = event["at"]
            if stack and (leaf is None or frames[stack[-1]] == leaf):
                dt = at - last
                total += dt
                exclusive[stack[-1]] += dt
                for f in set(stack):
                    inclusive[f] += dt
            last = at
            if event["type"] == "O":
                stack.append(event["frame"])
            else:
                if stack:
                    stack.pop()
    else:
        for sample, weight in zip(profile["samples"], profile["weights"]):
            total += weight
            if sample:
                exclusive[sample[-1]] += weight
            for f in set(sample):
                inclusive[f] += weight

def show(title, table):
    print(title)
    rows = sorted(table.items(), key=lambda kv: -kv[1])
    shown = 0
    for f, t in rows:
        name = frames[f]
        if grep and grep not in name:
            continue
        print("%6.1f%%  %s" % (100.0 * t / total, name[:160]))
        shown += 1
        if shown >= top:
            break

show("== inclusive", inclusive)
show("== exclusive", exclusive)
