# Measure rather than assume: how many cores this device reports, and what
# eight tasks take one after another and then in a pool of processes.
import os
import time
from concurrent.futures import ProcessPoolExecutor

def crunch(n):
    """Ten million squares added up: the core never waits on anything."""
    return sum(k * k for k in range(10_000_000))

if __name__ == '__main__':
    print('cores available:', os.cpu_count())

    began = time.perf_counter()
    [crunch(n) for n in range(8)]
    one_by_one = time.perf_counter() - began

    began = time.perf_counter()
    with ProcessPoolExecutor() as pool:
        list(pool.map(crunch, range(8)))
    in_pool = time.perf_counter() - began

    print(f'sequential: {one_by_one:.2f}s   parallel: {in_pool:.2f}s   speedup: {one_by_one / in_pool:.1f}x')
