#!/usr/bin/env python3
"""Floor for `rampart cis check`: the least work any checker of these nodes must do.

Reads every file of each node and parses each YAML/JSON file with PyYAML's C loader (libyaml),
plus the stat list -- no checks at all. One process; reports microseconds per node.
usage: floor.py RUNS NODE...
"""
import os
import sys
import time

import yaml

runs = int(sys.argv[1])
nodes = sys.argv[2:]
files = {}
for node in nodes:
    found = []
    for d, _, names in os.walk(node):
        for n in sorted(names):
            if n != "expected.txt":
                found.append(os.path.join(d, n))
    files[node] = found
start = time.perf_counter()
docs = 0
for _ in range(runs):
    for node in nodes:
        for path in files[node]:
            with open(path, "rb") as fh:
                data = fh.read()
            if path.endswith((".yaml", ".yml", ".conf", ".conflist")) and b"apiVersion" in data or path.endswith(".conflist"):
                for _doc in yaml.load_all(data, Loader=yaml.CSafeLoader):
                    docs += 1
            elif path.endswith("stat.txt"):
                for line in data.decode().splitlines():
                    if line and not line.startswith("#"):
                        mode, owner, p = line.split(" ", 2)
                        int(mode, 8)
elapsed = time.perf_counter() - start
print(f"floor read+parse: {len(nodes)} nodes x {runs} runs, {docs} docs, {elapsed * 1e6 / runs / len(nodes):.1f} us per node")
