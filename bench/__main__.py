"""``python -m bench [NAME...]``: run the named benchmarks, or all of them."""

from __future__ import annotations

import argparse
import sys
import time
import traceback

from bench import Benchmark, discover


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    args = parser.parse_args(argv)
    benchmarks = discover()
    if args.list:
        for bench in benchmarks.values():
            print(f"{bench.name:12} {bench.summary}")
        return 0
    unknown = [n for n in args.names if n not in benchmarks]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(benchmarks)}")
    failed = [name for name in args.names or list(benchmarks) if not _run(benchmarks[name])]
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


def _run(bench: Benchmark) -> bool:
    """Run one benchmark; a failure is reported and the others still run."""
    started = time.perf_counter()
    print(f"== {bench.name} ==", flush=True)
    try:
        bench.load()()
    except Exception:
        traceback.print_exc()
        print(f"   {bench.name} failed after {time.perf_counter() - started:.1f} s\n", flush=True)
        return False
    print(f"   ({time.perf_counter() - started:.1f} s)\n", flush=True)
    return True


if __name__ == "__main__":
    sys.exit(main())
