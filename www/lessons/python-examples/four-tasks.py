# Four CPU-bound tasks: first one after another, then side by side in a pool
# of processes. Press Run and compare the two times.
import time
from concurrent.futures import ProcessPoolExecutor

def crunch(n):
    """Ten million squares added up: the core never waits on anything."""
    return sum(k * k for k in range(10_000_000))

if __name__ == '__main__':
    began = time.perf_counter()
    in_turn = [crunch(n) for n in range(4)]
    print(f'4 tasks one after another: {time.perf_counter() - began:.2f}s')

    began = time.perf_counter()
    with ProcessPoolExecutor() as pool:   # as many processes as the Workers setting
        together = list(pool.map(crunch, range(4)))
    print(f'4 tasks in processes:      {time.perf_counter() - began:.2f}s')
    print('same answers as the loop:', together == in_turn)
