"""The contact import benchmark's baseline (`./infra/bench.sh import`).

Pass 1 of a contact file as a plain Python program would do it: the
standard library's csv reader, an address regex, a set of lower-cased
addresses for duplicates. The benchmark runs it on the same file in the
same run and prints Pulse's speed as a ratio to it, since absolute figures
do not repeat on shared machines.

Usage: python3 infra/import_baseline.py FILE
Prints: rows accepted rejected duplicates seconds peak_rss_kb
"""

import csv
import re
import resource
import sys
import time

ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


def main(path: str) -> None:
    started = time.perf_counter()
    rows = accepted = rejected = duplicates = 0
    seen = set()
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = [h.strip().lower() for h in next(reader)]
        column = header.index("email")
        for row in reader:
            rows += 1
            address = row[column].strip() if column < len(row) else ""
            if not ADDRESS.match(address):
                rejected += 1
                continue
            key = address.lower()
            if key in seen:
                duplicates += 1
                continue
            seen.add(key)
            accepted += 1
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(rows, accepted, rejected, duplicates, seconds, peak)


if __name__ == "__main__":
    main(sys.argv[1])
