# The baseline: the same four tasks, run one after another in the parent.
# Nothing is parallel here, so the time is the four tasks' times added up.
import time

def crunch(n):
    """Ten million squares added up: the core never waits on anything."""
    return sum(k * k for k in range(10_000_000))

if __name__ == '__main__':
    began = time.perf_counter()
    for n in range(4):
        crunch(n)
    print(f'4 tasks one after another: {time.perf_counter() - began:.2f}s')
