# Five hundred small checks are cheap next to the cost of sending each one
# to a worker, so map sends them in chunks of 50: ten messages, not 500.
from concurrent.futures import ProcessPoolExecutor

def is_prime(n):
    if n < 2:
        return False
    for d in range(2, int(n ** 0.5) + 1):
        if n % d == 0:
            return False
    return True

if __name__ == '__main__':
    candidates = range(1_000_000, 1_000_500)
    with ProcessPoolExecutor() as pool:
        verdicts = pool.map(is_prime, candidates, chunksize=50)
        primes = [n for n, prime in zip(candidates, verdicts) if prime]
    print(f'found {len(primes)} primes')
