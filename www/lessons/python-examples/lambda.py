# This one fails on purpose. A lambda has no name a worker could import it
# by, so pickle refuses to send it to the pool: expect a PicklingError.
# The fix is the previous example: a function defined at the top level.
from concurrent.futures import ProcessPoolExecutor

if __name__ == '__main__':
    with ProcessPoolExecutor() as pool:
        print(list(pool.map(lambda x: x * x, range(4))))
