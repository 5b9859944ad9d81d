# A function defined at the top level of the script can be pickled by name,
# so a pool worker (which imports this script too) finds it and runs it.
from concurrent.futures import ProcessPoolExecutor

def square(x):
    return x * x

if __name__ == '__main__':
    with ProcessPoolExecutor() as pool:
        print(list(pool.map(square, range(8))))
