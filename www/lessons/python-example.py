import os
import time
from concurrent.futures import ProcessPoolExecutor

def crunch(seed):
    """CPU-bound on purpose: no waiting, only arithmetic."""
    acc = seed
    for k in range(1_500_000):
        acc = (acc + k * k) % 1_000_003
    print(f"crunch({seed}) -> {acc}")
    return acc

if __name__ == "__main__":
    jobs = range(4)

    began = time.perf_counter()
    one_by_one = [crunch(j) for j in jobs]
    sequential = time.perf_counter() - began

    began = time.perf_counter()
    with ProcessPoolExecutor() as pool:   # one worker per "Workers" setting
        side_by_side = list(pool.map(crunch, jobs))
    parallel = time.perf_counter() - began

    assert side_by_side == one_by_one
    print(f"cores reported: {os.cpu_count()}")
    print(f"sequential: {sequential:.2f} s")
    print(f"pool:       {parallel:.2f} s   ({sequential / parallel:.1f}x faster)")
