#!/usr/bin/env python3
"""Per-thread CPU and wake-ups of running processes over a window (Linux only).

    bench/thread-cpu.py SECONDS PID [PID...]

Reads /proc/<pid>/task/*/schedstat (run time, run-queue wait, slices) and comm at the start and
the end of the window, then prints, per process and thread name, the CPU in % of one core, the
slices per second (about the thread's wake-ups: a count that does not depend on how fast the
machine is that minute) and the mean wait for a core per slice. Threads of the same name are
summed. Each process's line also splits its CPU into user and system time (/proc/<pid>/stat): the
system part is the kernel's socket and scheduling work, which any server pays per frame it writes
("#17, eighth session"). Start it during the phase to measure, e.g. 20 s into a bench run's
publish phase. This is how docs/perf-tests/README.md ("#17, fourth session") splits Relay's CPU by
thread.
"""
import os
import sys
import time


def snapshot(pids):
    out = {}
    for pid in pids:
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except FileNotFoundError:
            continue
        for tid in tids:
            try:
                with open(f"/proc/{pid}/task/{tid}/comm") as f:
                    name = f.read().strip()
                with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                    run, wait, slices = (int(x) for x in f.read().split())
            except (FileNotFoundError, ProcessLookupError, ValueError):
                continue
            out[(pid, tid)] = (name, run, wait, slices)
    return out


def user_system(pids):
    """Clock ticks of user and system time per process (fields 14 and 15 of /proc/<pid>/stat)."""
    out = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        out[pid] = (int(fields[11]), int(fields[12]))
    return out


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    seconds, pids = float(sys.argv[1]), sys.argv[2:]
    ticks = os.sysconf("SC_CLK_TCK")
    before, ticks0, start = snapshot(pids), user_system(pids), time.monotonic()
    time.sleep(seconds)
    after, ticks1, elapsed = snapshot(pids), user_system(pids), time.monotonic() - start
    totals = {}
    for key, (name, run, wait, slices) in after.items():
        _, run0, wait0, slices0 = before.get(key, (name, 0, 0, 0))
        row = totals.setdefault((key[0], name), [0, 0, 0])
        row[0] += run - run0
        row[1] += wait - wait0
        row[2] += slices - slices0
    for pid in pids:
        rows = sorted(((v, n) for (p, n), v in totals.items() if p == pid), reverse=True)
        cpu = sum(v[0] for v, _ in rows) / elapsed / 1e7
        split = ""
        if pid in ticks0 and pid in ticks1:
            user, system = (
                (ticks1[pid][i] - ticks0[pid][i]) / ticks / elapsed * 100 for i in (0, 1))
            split = f" (user {user:.1f} %, system {system:.1f} %)"
        print(f"pid {pid}: {cpu:.1f} % of a core over {elapsed:.1f} s{split}")
        for (run, wait, slices), name in rows:
            if run / elapsed / 1e7 < 0.05:
                continue
            mean_wait = wait / slices / 1e6 if slices else 0.0
            print(f"  {run / elapsed / 1e7:6.1f} %  {slices / elapsed:8.0f} slices/s"
                  f"  {mean_wait:6.3f} ms wait/slice  {name}")


if __name__ == "__main__":
    main()
