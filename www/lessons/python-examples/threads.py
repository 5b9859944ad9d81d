# The four tasks again, with one word changed: ThreadPoolExecutor instead of
# ProcessPoolExecutor. Threads share one interpreter, and CPython's GIL lets
# only one of them run Python at a time, so CPU-bound work gains nothing.
# (This browser build has no OS threads at all: the tasks take turns on the
# one interpreter, which is what the GIL makes them do anyway.)
import time
from concurrent.futures import ThreadPoolExecutor

def crunch(n):
    """Adds up squares for ten million steps: the core never waits."""
    acc = 0
    for k in range(10_000_000):
        acc += k * k
    return acc

if __name__ == '__main__':
    began = time.perf_counter()
    in_turn = [crunch(n) for n in range(4)]
    print(f'4 tasks one after another: {time.perf_counter() - began:.2f}s')

    began = time.perf_counter()
    with ThreadPoolExecutor() as pool:
        together = list(pool.map(crunch, range(4)))
    print(f'4 tasks in threads:        {time.perf_counter() - began:.2f}s')
    print('same answers as the loop:', together == in_turn)
