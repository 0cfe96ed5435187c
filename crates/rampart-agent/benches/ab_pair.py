#!/usr/bin/env python3
"""Paired ratios of ab_attach.c output: per round, each configuration's time over `none`'s in
the same round; prints the median and interquartile range of those ratios as slowdowns."""
import collections
import statistics
import sys

rounds = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) == 4 and f[0].isdigit() and float(f[2]) > 0:
        rounds[int(f[0])][f[1]] = float(f[2])
names = [n for n in next(iter(rounds.values())) if n != "none"]
for name in names:
    r = [v[name] / v["none"] for v in rounds.values() if name in v and "none" in v]
    q = statistics.quantiles(r, n=4)
    print(f"{name:12} {100 * (statistics.median(r) - 1):+6.1f}%  IQR {100 * (q[0] - 1):+.1f}..{100 * (q[2] - 1):+.1f}%  rounds {len(r)}")
