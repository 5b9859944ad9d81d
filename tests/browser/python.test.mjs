// The learner's Python on real cores: a pool of Pyodide interpreters behind
// concurrent.futures.ProcessPoolExecutor, driven through the page-side
// PythonSession (www/python/client/session.js). One pool is started per page
// and kept warm across tests, as the lesson does. Sizes are small and no test
// asserts a timing: speedups belong to the measurements, not to CI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, ISOLATED_URL, PLAIN_URL } from './browser.mjs';

const WORKERS = 2;

let isolated; // { page, problems, requests }
let plain;
const browser = useBrowser(async () => {
  isolated = await openSession(ISOLATED_URL);
});

/** Opens `url` in a new page that records its page errors and every request it makes. */
async function openPage(url) {
  const page = await browser().newPage();
  const problems = [];
  const requests = [];
  page.on('pageerror', (error) => problems.push(String(error)));
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(url);
  return { page, problems, requests };
}

/** Opens `url` and creates a session in it, without starting Python yet. */
async function openSession(url, options = {}) {
  const opened = await openPage(url);
  await opened.page.evaluate(async (options) => {
    const { PythonSession } = await import(new URL('python/client/session.js', location.href).href);
    window.__lines = [];
    window.__statuses = [];
    window.__PythonSession = PythonSession;
    window.__python = new PythonSession({
      ...options,
      onOutput: (line) => window.__lines.push(line),
      onStatus: (status) => window.__statuses.push(status),
    });
  }, options);
  return opened;
}

function run(page, code) {
  return page.evaluate((code) => window.__python.run(code), code);
}

/** A script whose every pool task prints "busy" and then never ends. */
const forever = (tasks) => `
from concurrent.futures import ProcessPoolExecutor
def forever(_):
    print('busy', flush=True)
    while True:
        pass
if __name__ == '__main__':
    with ProcessPoolExecutor() as pool:
        list(pool.map(forever, range(${tasks})))
`;

/** A script that prints "looping" and then never ends, in the parent. */
const LOOP = "print('looping', flush=True)\nwhile True:\n    pass\n";

/** Runs `code`, cancels it once it has printed `line` (so it really runs), and answers how the run ended. */
function runAndCancel(page, code, line) {
  return page.evaluate(
    async ([code, line]) => {
      const from = window.__lines.length;
      const running = window.__python.run(code);
      await new Promise((resolve) => {
        const look = () => (window.__lines.slice(from).some((l) => l.text === line) ? resolve() : setTimeout(look, 20));
        look();
      });
      await window.__python.cancel();
      return running;
    },
    [code, line],
  );
}

/** A guarded script that prints `list(pool.map(name, range(n)))` from `pool`, for `def name(x): return expr`. */
const mapScript = (name, expr, n, pool = 'ProcessPoolExecutor()') => `
from concurrent.futures import ProcessPoolExecutor
def ${name}(x):
    return ${expr}
if __name__ == '__main__':
    with ${pool} as pool:
        print(list(pool.map(${name}, range(${n}))))
`;

/** Runs `code`, checks it succeeded and that its last line is `last`; answers the run. */
async function runPrinting(page, code, last) {
  const r = await run(page, code);
  assert.equal(r.ok, true, r.error?.traceback);
  assert.equal(r.output.at(-1).text, last);
  return r;
}

/** Checks that the pool runs a small map after a cancelled run. */
const assertPoolWorks = (page) => runPrinting(page, mapScript('double', '2 * x', 3), '[0, 2, 4]');

test('nothing Python is downloaded until the session starts', async () => {
  const { page, requests } = isolated;
  assert.ok(!requests.some((url) => url.includes('/vendor/pyodide/')), 'Pyodide fetched before start()');
  const info = await page.evaluate((n) => window.__python.start(n), WORKERS);
  assert.ok(requests.some((url) => url.includes('/vendor/pyodide/pyodide.asm.wasm')));
  assert.equal(info.workers.length, WORKERS);
  assert.equal(info.mode, 'sab');
  assert.ok(info.startup_ms > 0 && info.workers.every((w) => w.load_ms > 0));
  // Workers start from a memory snapshot of the parent (a full start is the fallback).
  assert.equal(info.snapshot, true);
  assert.ok(
    info.workers.every((w) => w.restored === true),
    JSON.stringify(info.workers),
  );
  const statuses = await page.evaluate(() => window.__statuses);
  const last = statuses.filter((s) => s.phase === 'starting').at(-1);
  assert.deepEqual([last.ready, last.total, last.main], [WORKERS, WORKERS, true]);
  // Idempotent: the same size answers from the warm pool.
  const again = await page.evaluate((n) => window.__python.start(n), WORKERS);
  assert.equal(again.reused, true);
});

test("the lesson's examples give the sequential results", async () => {
  const code = `
from concurrent.futures import ProcessPoolExecutor
import os, time

def cpu_task(n):
    total = 0
    for i in range(50_000 + n):
        total += i * i
    return total

def square(x):
    return x * x

def is_prime(n):
    if n < 2:
        return False
    for i in range(2, int(n ** 0.5) + 1):
        if n % i == 0:
            return False
    return True

if __name__ == '__main__':
    start = time.perf_counter()
    with ProcessPoolExecutor() as pool:
        results = list(pool.map(cpu_task, range(4)))
    print(f'4 tasks across processes: {time.perf_counter() - start:.2f}s')
    assert results == [cpu_task(n) for n in range(4)], results

    with ProcessPoolExecutor() as pool:
        print(list(pool.map(square, range(8))))

    numbers = range(1_000_000, 1_000_500)
    with ProcessPoolExecutor() as pool:
        primes = [n for n, ok in zip(numbers, pool.map(is_prime, numbers, chunksize=50)) if ok]
    print(f'found {len(primes)} primes')
    assert primes == [n for n in numbers if is_prime(n)]

    print('cores available:', os.cpu_count())
    start = time.perf_counter()
    [cpu_task(n) for n in range(8)]
    seq = time.perf_counter() - start
    start = time.perf_counter()
    with ProcessPoolExecutor() as pool:
        list(pool.map(cpu_task, range(8)))
    par = time.perf_counter() - start
    print(f'sequential: {seq:.2f}s   parallel: {par:.2f}s   speedup: {seq/par:.1f}x')
`;
  const { page } = isolated;
  const r = await run(page, code);
  assert.equal(r.ok, true, r.error?.traceback);
  const main = r.output.filter((l) => l.worker === 'main').map((l) => l.text);
  assert.ok(main.includes('[0, 1, 4, 9, 16, 25, 36, 49]'), main.join('\n'));
  assert.ok(main.includes('found 39 primes'), main.join('\n'));
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  assert.ok(main.includes(`cores available: ${cores}`), main.join('\n'));
  assert.ok(
    main.some((t) => /^sequential: [\d.]+s {3}parallel: [\d.]+s {3}speedup: [\d.]+x$/.test(t)),
    main.join('\n'),
  );
  assert.equal(r.startup_ms, 0, 'the pool was warm');
  assert.ok(r.run_ms > 0);

  // The timeline: one import per worker per executor, then tasks and chunks.
  const tasks = r.timeline.filter((e) => e.kind === 'task');
  const imports = r.timeline.filter((e) => e.kind === 'import');
  assert.equal(imports.length, 4 * WORKERS);
  assert.equal(tasks.filter((e) => e.label === 'cpu_task').length, 4 + 8);
  assert.equal(tasks.filter((e) => e.label === 'square').length, 8);
  const chunks = tasks.filter((e) => e.label === 'is_prime');
  assert.equal(chunks.length, 10);
  assert.ok(chunks.every((e) => e.items === 50));
  for (const e of r.timeline) {
    assert.ok(Number.isInteger(e.worker) && e.worker >= 0 && e.worker < WORKERS, JSON.stringify(e));
    assert.ok(e.start_ms >= 0 && e.end_ms >= e.start_ms && e.end_ms <= r.run_ms + 1, JSON.stringify(e));
  }
  assert.equal(new Set(tasks.map((e) => e.worker)).size, WORKERS, 'every worker ran tasks');
});

test('print lines stream with the worker that printed them', async () => {
  const code = `
from concurrent.futures import ProcessPoolExecutor, wait
print('imported as', __name__)

def shout(i):
    print('task', i)
    return i

if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=2) as pool:
        wait([pool.submit(shout, i) for i in range(6)])
    print('done')
`;
  const { page } = isolated;
  await page.evaluate(() => (window.__lines = []));
  const r = await run(page, code);
  assert.equal(r.ok, true, r.error?.traceback);
  const streamed = await page.evaluate(() => window.__lines);
  assert.deepEqual(streamed.length, r.output.length);
  const by = (worker) => r.output.filter((l) => l.worker === worker).map((l) => l.text);
  assert.deepEqual(by('main'), ['imported as __main__', 'done']);
  for (const w of [0, 1]) assert.equal(by(`worker ${w}`)[0], 'imported as __mp_main__');
  const tasks = r.output.filter((l) => l.text.startsWith('task ')).map((l) => l.text);
  assert.deepEqual(tasks.sort(), ['task 0', 'task 1', 'task 2', 'task 3', 'task 4', 'task 5']);
  // Each task line comes from the worker the timeline says ran it.
  for (const entry of r.timeline.filter((e) => e.kind === 'task')) {
    assert.ok(by(`worker ${entry.worker}`).includes(`task ${entry.task}`), JSON.stringify(entry));
  }
  assert.ok(r.output.every((l) => l.stream === 'stdout'));
});

test('a lambda or a nested function fails with the real PicklingError', async () => {
  const { page } = isolated;
  const lambda = await run(
    page,
    `
from concurrent.futures import ProcessPoolExecutor
if __name__ == '__main__':
    with ProcessPoolExecutor() as pool:
        print(list(pool.map(lambda x: x * x, range(4))))
`,
  );
  assert.equal(lambda.ok, false);
  assert.equal(lambda.error.type, 'PicklingError');
  assert.match(lambda.error.message, /Can't pickle <function <lambda>/);
  assert.match(lambda.error.traceback, /File "main.py", line 5, in <module>/);
  assert.doesNotMatch(lambda.error.traceback, /playground|pyodide|\.js/);

  const nested = await run(
    page,
    `
from concurrent.futures import ProcessPoolExecutor
def make():
    def inner(x):
        return x
    return inner
if __name__ == '__main__':
    with ProcessPoolExecutor() as pool:
        try:
            pool.submit(make(), 1).result()
        except Exception as exc:
            print(type(exc).__module__, type(exc).__name__, exc)
`,
  );
  assert.equal(nested.ok, true, nested.error?.traceback);
  assert.match(nested.output.at(-1).text, /^_pickle PicklingError Can't pickle local object <function make.<locals>.inner/);
});

test('a script without the __main__ guard gets a clear error, not a cascade', async () => {
  const { page } = isolated;
  const r = await run(
    page,
    `
from concurrent.futures import ProcessPoolExecutor
def square(x):
    return x * x
with ProcessPoolExecutor() as pool:
    print(list(pool.map(square, range(4))))
`,
  );
  assert.equal(r.ok, false);
  assert.equal(r.error.type, 'BrokenProcessPool');
  assert.match(r.error.message, /failed while importing your script as '__mp_main__'/);
  assert.match(r.error.message, /RuntimeError: .*if __name__ == '__main__':/s);
  // The worker's own traceback points at the line that created the pool.
  assert.match(r.error.traceback, /File "main.py", line 5, in <module>\n\s+with ProcessPoolExecutor\(\) as pool:\n[^]*RuntimeError/);
  // Only the parent printed anything, and it stopped quickly: no pools in workers.
  assert.ok(r.timeline.filter((e) => e.kind === 'import').every((e) => e.ok === false));
  assert.equal(r.timeline.filter((e) => e.kind === 'task' && e.ok).length, 0);
  // The pool is fine for the next, guarded, run.
  await runPrinting(page, mapScript('square', 'x * x', 4), '[0, 1, 4, 9]');
});

test('as_completed and wait work on the real Future objects', async () => {
  const { page } = isolated;
  const r = await run(
    page,
    `
from concurrent.futures import ProcessPoolExecutor, as_completed, wait, FIRST_COMPLETED
import time

def nap(i):
    total = 0
    for k in range((6 - i) * 40_000):
        total += k
    return i

if __name__ == '__main__':
    with ProcessPoolExecutor() as pool:
        futures = {pool.submit(nap, i): i for i in range(6)}
        seen = [f.result() for f in as_completed(futures)]
        print(sorted(seen), len(seen))
        assert all(futures[f] == f.result() for f in futures)
        done, pending = wait([pool.submit(nap, i) for i in range(3)], return_when=FIRST_COMPLETED)
        print(len(done) >= 1, len(done) + len(pending))
        f = pool.submit(nap, 0)
        print(f.running() or not f.done(), f.result(timeout=30), f.done())
`,
  );
  assert.equal(r.ok, true, r.error?.traceback);
  const main = r.output.map((l) => l.text).filter((t) => !t.startsWith('imported'));
  assert.deepEqual(main, ['[0, 1, 2, 3, 4, 5] 6', 'True 3', 'True 0 True']);
});

test('an exception in a task is re-raised in the parent with its own type', async () => {
  const { page } = isolated;
  const r = await run(
    page,
    `
from concurrent.futures import ProcessPoolExecutor

class Oops(Exception):
    pass

def risky(x):
    if x == 3:
        raise ValueError(f"bad input {x}")
    if x == 4:
        raise Oops("custom")
    return x

if __name__ == '__main__':
    with ProcessPoolExecutor() as pool:
        try:
            pool.submit(risky, 4).result()
        except Oops as exc:
            print('caught', type(exc).__name__, exc)
        print(list(pool.map(risky, range(6))))
`,
  );
  assert.equal(r.ok, false);
  assert.deepEqual(
    r.output.map((l) => l.text),
    ['caught Oops custom'],
  );
  assert.equal(r.error.type, 'ValueError');
  assert.equal(r.error.message, 'bad input 3');
  // The worker's traceback, then the parent's, both in the learner's file only.
  assert.match(r.error.traceback, /_RemoteTraceback: \n"""\nTraceback \(most recent call last\):\n  File "main.py", line 9, in risky\n/);
  assert.match(r.error.traceback, /The above exception was the direct cause of the following exception:/);
  assert.match(r.error.traceback, /File "main.py", line 20, in <module>\n\s+print\(list\(pool.map\(risky, range\(6\)\)\)\)/);
  assert.doesNotMatch(r.error.traceback, /playground\/|pyodide|_base\.py/);
});

test('results of any size come back, and unpicklable results fail cleanly', async () => {
  const { page } = isolated;
  const r = await run(
    page,
    `
from concurrent.futures import ProcessPoolExecutor
import threading

def big(n):
    return list(range(n))

def bad(_):
    return threading.Lock()

if __name__ == '__main__':
    with ProcessPoolExecutor() as pool:
        out = pool.submit(big, 400_000).result()
        print(len(out), out[-1])
        try:
            pool.submit(bad, 0).result()
        except TypeError as exc:
            print('TypeError', 'lock' in str(exc))
`,
  );
  assert.equal(r.ok, true, r.error?.traceback);
  assert.deepEqual(
    r.output.map((l) => l.text),
    ['400000 399999', 'TypeError True'],
  );
});

test('worker limits are enforced with a message', async () => {
  const { page } = isolated;
  const refusals = await page.evaluate(async () => {
    const s = window.__python;
    const max = window.__PythonSession.maxWorkers();
    const tries = [0, max + 1, 1.5];
    const messages = [];
    for (const n of tries)
      messages.push(
        await s.start(n).then(
          () => 'started',
          (e) => `${e.name}: ${e.message}`,
        ),
      );
    return { max, messages };
  });
  assert.ok(refusals.max >= 1 && refusals.max <= 8);
  for (const m of refusals.messages) assert.match(m, /^RangeError: Choose between 1 and \d+ workers/);
  const r = await run(
    page,
    `
from concurrent.futures import ProcessPoolExecutor
if __name__ == '__main__':
    ProcessPoolExecutor(max_workers=${refusals.max + 1})
`,
  );
  assert.equal(r.error?.type, 'ValueError');
  assert.match(r.error.message, /at most \d+ workers/);
});

test('executor options and state behave as in CPython', async () => {
  const { page } = isolated;
  const r = await run(
    page,
    `
from concurrent.futures import ProcessPoolExecutor
seen = []

def init(tag):
    global TAG
    TAG = tag

def tagged(x):
    return (TAG, x)

def remember(_):
    seen.append(1)
    return len(seen)

def spin(n):
    total = 0
    for i in range(n):
        total += i
    return n

if __name__ == '__main__':
    with ProcessPoolExecutor(max_workers=1, initializer=init, initargs=('hi',)) as pool:
        print(pool.submit(tagged, 1).result())
    with ProcessPoolExecutor(max_workers=1) as pool:
        print([pool.submit(remember, 0).result() for _ in range(3)])
    with ProcessPoolExecutor(max_workers=1, max_tasks_per_child=2) as pool:
        print([pool.submit(remember, 0).result() for _ in range(5)])
    print(seen)
    pool = ProcessPoolExecutor(max_workers=1)
    futures = [pool.submit(spin, 200_000) for _ in range(4)]
    pool.shutdown(wait=True)
    print(all(f.done() for f in futures))
    pool = ProcessPoolExecutor(max_workers=1)
    futures = [pool.submit(spin, 300_000) for _ in range(4)]
    pool.shutdown(wait=True, cancel_futures=True)
    print([f.cancelled() for f in futures])
`,
  );
  assert.equal(r.ok, true, r.error?.traceback);
  assert.deepEqual(
    r.output.map((l) => l.text),
    [
      "('hi', 1)",
      '[1, 2, 3]', // a worker keeps its globals between tasks...
      '[1, 2, 1, 2, 1]', // ...until max_tasks_per_child replaces it
      '[]', // and the parent's copy never changes
      'True',
      '[False, True, True, True]',
    ],
  );
  assert.ok(
    r.timeline.every((e) => e.worker === 0),
    'max_workers=1 uses one worker',
  );
});

test('max_workers above the pool size starts more workers, counted as start-up', async () => {
  const { page } = isolated;
  const r = await runPrinting(page, mapScript('square', 'x * x', 9, `ProcessPoolExecutor(max_workers=${WORKERS + 1})`), '[0, 1, 4, 9, 16, 25, 36, 49, 64]');
  assert.ok(r.startup_ms > 0, 'starting the extra worker is start-up, not run time');
  assert.equal(r.timeline.filter((e) => e.kind === 'import').length, WORKERS + 1);
  // The default stays at the size start() was given.
  const again = await run(
    page,
    `
from concurrent.futures import ProcessPoolExecutor
if __name__ == '__main__':
    with ProcessPoolExecutor() as pool:
        print(pool._max_workers)
`,
  );
  assert.equal(again.output.at(-1).text, String(WORKERS));
  assert.equal(again.startup_ms, 0);
});

test('syntax errors and errors in the parent read like Python', async () => {
  const { page } = isolated;
  const syntax = await run(page, 'print("unclosed"\n');
  assert.equal(syntax.error.type, 'SyntaxError');
  assert.match(syntax.error.traceback, /File "main.py", line 1\n[^]*SyntaxError: '\(' was never closed/);
  const plainError = await run(page, 'def f():\n    return 1 / 0\nf()\n');
  assert.equal(plainError.error.type, 'ZeroDivisionError');
  assert.equal(
    plainError.error.traceback,
    [
      'Traceback (most recent call last):',
      '  File "main.py", line 3, in <module>',
      '    f()',
      '    ~^^',
      '  File "main.py", line 2, in f',
      '    return 1 / 0',
      '           ~~^~~',
      'ZeroDivisionError: division by zero',
      '',
    ].join('\n'),
  );
});

test('Cancel stops an endless task and the next run works', async () => {
  const { page } = isolated;
  const outcome = await runAndCancel(page, forever(4), 'busy');
  assert.equal(outcome.ok, false);
  assert.equal(outcome.cancelled, true);
  assert.equal(outcome.error.type, 'KeyboardInterrupt');
  const next = await run(page, `print(sum(range(10)))`);
  assert.equal(next.ok, true, next.error?.traceback);
  assert.deepEqual(
    next.output.map((l) => l.text),
    ['45'],
  );
});

test('Cancel stops an endless loop in the parent too', async () => {
  const { page } = isolated;
  const outcome = await runAndCancel(page, LOOP, 'looping');
  assert.equal(outcome.cancelled, true);
  assert.equal(outcome.error.type, 'KeyboardInterrupt');
  await assertPoolWorks(page);
  assert.deepEqual(isolated.problems, []);
});

test('without isolation the pool blocks through JSPI, and Cancel still recovers', async () => {
  // Also the path without memory snapshots: every interpreter starts in full.
  plain = await openSession(PLAIN_URL, { snapshot: false });
  const { page } = plain;
  const first = await run(
    page,
    `
from concurrent.futures import ProcessPoolExecutor, as_completed
def square(x):
    print('square', x)
    return x * x
if __name__ == '__main__':
    with ProcessPoolExecutor(max_workers=2) as pool:
        print(sorted(f.result() for f in as_completed([pool.submit(square, i) for i in range(5)])))
`,
  );
  assert.equal(first.ok, true, first.error?.traceback);
  assert.equal(first.mode, 'jspi');
  assert.ok(first.startup_ms > 0, 'the first run starts the pool');
  const started = await page.evaluate(() => window.__python.start());
  assert.equal(started.snapshot, false);
  assert.ok(started.workers.every((w) => w.restored === false));
  assert.equal(first.output.at(-1).text, '[0, 1, 4, 9, 16]');
  assert.ok(first.output.some((l) => l.worker === 'worker 1'));

  // Without shared memory a busy worker can't be interrupted: it is replaced.
  const stopped = await runAndCancel(page, forever(2), 'busy');
  assert.equal(stopped.cancelled, true);
  assert.equal(stopped.error.type, 'KeyboardInterrupt');
  await assertPoolWorks(page);

  // An endless loop in the parent can't be interrupted without shared memory:
  // every worker is ended, and the next run starts Python afresh.
  const parent = await runAndCancel(page, LOOP, 'looping');
  assert.equal(parent.cancelled, true);
  assert.equal(parent.error.type, 'KeyboardInterrupt');
  const fresh = await run(page, 'print(input.__name__)\ntry:\n    input()\nexcept EOFError:\n    print("no stdin")\n');
  assert.equal(fresh.ok, true, fresh.error?.traceback);
  assert.ok(fresh.startup_ms > 0, 'Python started again');
  assert.deepEqual(
    fresh.output.map((l) => l.text),
    ['input', 'no stdin'],
  );
  assert.deepEqual(plain.problems, []);
});

test('the lesson panel starts Python only when mounted, runs the example and draws its timeline', async () => {
  const { page, problems, requests } = await openPage(ISOLATED_URL);
  await page.evaluate(async () => {
    window.__lesson = await import(new URL('lessons/python.js', location.href).href);
  });
  assert.ok(!requests.some((url) => url.includes('/vendor/pyodide/') || url.includes('/python/')), 'fetched before mount()');
  await page.evaluate(() => {
    const section = document.createElement('section');
    section.id = 'python-lesson-under-test';
    document.body.append(section);
    window.__lesson.mount(section, { caps: { cores: navigator.hardwareConcurrency } });
  });
  const text = (selector) => page.locator(selector).textContent();
  await page.waitForFunction(() => document.querySelector('[data-testid=python-progress-text]').textContent.startsWith('Python ready'), null, { timeout: 60_000 });
  await page.waitForSelector('[data-testid=python-startup] dd');
  assert.match(await text('[data-testid=python-startup] dd'), /^\d+\.\d s$/);
  assert.equal(await text('[data-testid=python-run-time] dd'), '—');
  assert.match(await text('[data-testid=python-reading]'), /^Parent [\d.]+ s; slowest of 2 workers [\d.]+ s/);
  await page.click('[data-testid=python-run]');
  await page.waitForFunction(() => document.querySelector('#python-lesson-under-test').dataset.state === 'running');
  assert.equal(await page.isDisabled('[data-testid=python-reset]'), true);
  await page.waitForFunction(() => document.querySelector('#python-lesson-under-test').dataset.state !== 'running', null, { timeout: 60_000 });
  assert.equal(await page.getAttribute('#python-lesson-under-test', 'data-state'), 'done');
  assert.match(await text('[data-testid=python-run-time] dd'), /^\d+\.\d\d s$/);
  assert.match(await text('[data-testid=python-tasks] dd'), /^4 on \d workers?$/);
  assert.equal(await text('[data-testid=python-progress-text]'), 'Done.');
  assert.equal(await page.isEnabled('[data-testid=python-reset]'), true);
  assert.match(await text('[data-testid=python-messages]'), /^Finished in [\d.]+ s, with 4 tasks run in the pool\.$/);
  const lines = await page.locator('.py-line').evaluateAll((nodes) => nodes.map((n) => [n.dataset.worker, n.querySelector('.py-text').textContent]));
  assert.ok(
    lines.some(([w, t]) => w === 'main' && /^pool: /.test(t)),
    JSON.stringify(lines),
  );
  assert.ok(
    lines.some(([w, t]) => w === 'worker 0' && t.startsWith('crunch(')),
    JSON.stringify(lines),
  );
  assert.equal(await page.locator('#python-timeline').isVisible(), true);
  assert.equal(await page.getAttribute('#python-timeline', 'data-chunks'), '4');
  // An error shows its traceback and says so; Restore example brings the example back.
  await page.fill('[data-testid=python-code]', 'import math\nmath.sqrt(-1)\n');
  await page.click('[data-testid=python-run]');
  await page.waitForFunction(() => !document.querySelector('[data-testid=python-traceback]').hidden, null, { timeout: 30_000 });
  assert.match(await text('[data-testid=python-traceback]'), /File "main.py", line 2, in <module>[^]*ValueError: /);
  assert.match(await text('[data-testid=python-messages]'), /^Your script stopped with ValueError: /);
  await page.waitForFunction(() => document.querySelector('#python-lesson-under-test').dataset.state === 'done');
  assert.equal(await text('[data-testid=python-progress-text]'), 'Finished with an error.');
  // Cancel stops an endless script from the panel; what it printed stays.
  await page.fill('[data-testid=python-code]', "print('spinning', flush=True)\nwhile True:\n    pass\n");
  await page.click('[data-testid=python-run]');
  await page.waitForFunction(() => [...document.querySelectorAll('.py-line .py-text')].some((n) => n.textContent === 'spinning'), null, { timeout: 30_000 });
  await page.click('[data-testid=python-cancel]');
  await page.waitForFunction(() => document.querySelector('#python-lesson-under-test').dataset.state === 'cancelled', null, { timeout: 30_000 });
  assert.equal(await text('[data-testid=python-messages]'), 'Cancelled.');
  assert.equal(await page.locator('.py-line').count(), 1);
  await page.click('[data-testid=python-reset]');
  assert.match(await page.inputValue('[data-testid=python-code]'), /^import os\nimport time\n/);
  assert.deepEqual(problems, []);
  await page.close();
});
