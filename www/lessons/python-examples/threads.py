# The four tasks again, with one word changed: ThreadPoolExecutor instead of
# ProcessPoolExecutor. Threads share one interpreter, and CPython's GIL lets
# only one of them run Python at a time, so CPU-bound work gains nothing.
# (This browser build has no OS threads at all: the tasks take turns on the
# one interpreter, which is what the GIL makes them do anyway.)
import time
from concurrent.futures import ThreadPoolExecutor

def crunch(n):
    """Ten million squares added up: the core never waits on anything."""
    return sum(k * k for k in range(10_000_000))

if __name__ == '__main__':
    began = time.perf_counter()
    expected = list(map(crunch, range(4)))
    print(f'4 tasks one after another: {time.perf_counter() - began:.2f}s')

    began = time.perf_counter()
    with ThreadPoolExecutor() as pool:   # the one word changed
        answers = list(pool.map(crunch, range(4)))
    seconds = time.perf_counter() - began
    print(f'4 tasks in threads:        {seconds:.2f}s')
    print('same answers as the loop:', answers == expected)
