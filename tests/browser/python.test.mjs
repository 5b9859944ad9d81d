// The learner's Python on real cores: a pool of Pyodide interpreters behind
// concurrent.futures.ProcessPoolExecutor, driven through the page-side
// PythonSession (www/python/client/session.js). One pool is started per page
// and kept warm across tests, as the lesson does. Sizes are small and no test
// asserts a timing: speedups belong to the measurements, not to CI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { useBrowser, lessonHarness, ISOLATED_URL, PLAIN_URL } from './browser.mjs';

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

/** A script of the lesson's "From the lesson" menu, as the page serves it. */
const example = (name) => readFile(new URL(`../../www/lessons/python-examples/${name}.py`, import.meta.url), 'utf8');

test("the lesson's scripts give the sequential results, with a task per input and a chunk per 50 on the timeline", async () => {
  const { page } = isolated;
  const seen = new Set();
  const runExample = async (name, printed) => {
    const r = await run(page, await example(name));
    assert.equal(r.ok, true, r.error?.traceback);
    const main = r.output.filter((l) => l.worker === 'main').map((l) => l.text);
    assert.ok(main.includes(printed), `${name}: ${main.join('\n')}`);
    assert.equal(r.startup_ms, 0, 'the pool was warm');
    // One import of the script per worker for the one executor, then tasks or chunks.
    assert.equal(r.timeline.filter((e) => e.kind === 'import').length, WORKERS, name);
    for (const e of r.timeline) {
      assert.ok(Number.isInteger(e.worker) && e.worker >= 0 && e.worker < WORKERS, JSON.stringify(e));
      assert.ok(e.start_ms >= 0 && e.end_ms >= e.start_ms && e.end_ms <= r.run_ms + 1, JSON.stringify(e));
    }
    const tasks = r.timeline.filter((e) => e.kind === 'task');
    for (const e of tasks) seen.add(e.worker);
    return tasks;
  };
  const crunched = await runExample('four-tasks', 'same answers as the loop: True');
  assert.equal(crunched.filter((e) => e.label === 'crunch').length, 4);
  const squared = await runExample('square', '[0, 1, 4, 9, 16, 25, 36, 49]');
  assert.equal(squared.filter((e) => e.label === 'square').length, 8);
  const chunks = await runExample('primes', 'found 39 primes');
  assert.deepEqual(
    chunks.map((e) => [e.label, e.items]),
    Array.from({ length: 10 }, () => ['is_prime', 50]),
  );
  assert.equal(seen.size, WORKERS, 'every worker ran tasks');
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
    sum(range(n))  # busy for a while, then the input back
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

/** What the page prints once a run when a ThreadPoolExecutor's tasks take turns (python/py/playground/turns.py). */
const NO_THREADS = /^Note: this browser build of Python has no OS threads, so the tasks of a ThreadPoolExecutor take turns on this one interpreter, one after another/;

test('ThreadPoolExecutor takes turns on the one interpreter, with the semantics of concurrent.futures', async () => {
  const { page } = isolated;
  const r = await run(
    page,
    `
import os, time
import concurrent.futures as cf
import concurrent.futures.thread
from concurrent.futures import ThreadPoolExecutor, Future, as_completed, wait, FIRST_COMPLETED

def spin(n):
    sum(range(n))  # busy for a while, then the input back
    return n

def risky(x):
    if x == 2:
        raise ValueError(f'bad {x}')
    return x * 10

inits = []
def init(tag):
    inits.append(tag)

def bad_init():
    raise OSError('no thread for you')

print(cf.ThreadPoolExecutor is ThreadPoolExecutor is cf.thread.ThreadPoolExecutor)
for wrong in (0, -1):
    try:
        ThreadPoolExecutor(max_workers=wrong)
    except ValueError as exc:
        print('ValueError:', exc)
try:
    ThreadPoolExecutor(initializer=3)
except TypeError as exc:
    print('TypeError:', exc)
print(ThreadPoolExecutor()._max_workers == min(32, os.cpu_count() + 4))

with ThreadPoolExecutor(max_workers=2) as pool:
    f = pool.submit(spin, 10)
    print(type(f) is Future, f.done())
    print(f.result(), f.done())
    got = []
    try:
        for value in pool.map(risky, range(4), timeout=30, chunksize=2):
            got.append(value)
    except ValueError as exc:
        print('map raised', exc, 'after', got)
    g = pool.submit(risky, 2)
    print(type(g.exception()).__name__, g.done())
    print(sorted(x.result() for x in as_completed([pool.submit(spin, n) for n in (3, 2, 1)])))
    done, pending = wait([pool.submit(spin, 5) for _ in range(3)], return_when=FIRST_COMPLETED)
    print(len(done) >= 1, len(done) + len(pending))
    done, pending = wait([pool.submit(spin, 5) for _ in range(3)])
    print(len(done), len(pending))

pool = ThreadPoolExecutor(max_workers=1)
slow = [pool.submit(spin, 2_000_000) for _ in range(4)]
try:
    slow[-1].result(timeout=0.01)
except TimeoutError:
    print('timed out with', sum(f.done() for f in slow) < 4)
pool.shutdown(wait=True)
print(all(f.done() for f in slow))

pool = ThreadPoolExecutor(max_workers=1)
queued = [pool.submit(spin, 10) for _ in range(3)]
pool.shutdown(wait=False, cancel_futures=True)
print([f.cancelled() for f in queued[1:]], queued[0].done())
try:
    pool.submit(spin, 1)
except RuntimeError as exc:
    print('RuntimeError:', exc)

with ThreadPoolExecutor(max_workers=2, initializer=init, initargs=('t',)) as pool:
    print(list(pool.map(spin, range(5))), set(inits) == {'t'}, 1 <= len(inits) <= 2)
pool = ThreadPoolExecutor(initializer=bad_init)
try:
    pool.submit(spin, 1).result()
except cf.thread.BrokenThreadPool:
    print('BrokenThreadPool')
try:
    pool.submit(spin, 1)
except cf.thread.BrokenThreadPool:
    print('still broken')

pool = ThreadPoolExecutor()
napped = pool.submit(spin, 1000)
time.sleep(0.05)
print('done after a sleep:', napped.done())
pool.submit(print, 'ran as the script ended')
pool.shutdown(wait=False)
print('script ends')
`,
  );
  assert.equal(r.ok, true, r.error?.traceback);
  const printed = r.output.filter((l) => l.stream === 'stdout').map((l) => l.text);
  assert.equal(printed.filter((t) => NO_THREADS.test(t)).length, 1, printed.join('\n'));
  assert.deepEqual(
    printed.filter((t) => !NO_THREADS.test(t)),
    [
      'True',
      'ValueError: max_workers must be greater than 0',
      'ValueError: max_workers must be greater than 0',
      'TypeError: initializer must be a callable',
      'True',
      'True False', // submit queues the task: its future is pending, not done
      '10 True',
      'map raised bad 2 after [0, 10]',
      'ValueError True',
      '[1, 2, 3]',
      'True 3',
      '3 0',
      'timed out with True', // a wait's timeout expires between turns
      'True',
      '[True, True] True',
      'RuntimeError: cannot schedule new futures after shutdown',
      '[0, 1, 2, 3, 4] True True',
      'BrokenThreadPool',
      'still broken',
      'done after a sleep: True', // a sleeping script lets queued tasks take their turns
      'script ends',
      'ran as the script ended', // like CPython joining the pool's threads at exit
    ],
  );
  // The failed initializer is logged, as CPython logs it.
  assert.ok(
    r.output.some((l) => l.stream === 'stderr' && l.text === 'Exception in initializer:'),
    JSON.stringify(r.output),
  );
  // Every turn ran on the main interpreter, one after another.
  const turns = r.timeline.filter((e) => e.kind === 'turn');
  assert.ok(turns.length > 20 && turns.every((e) => e.worker === 'main'), JSON.stringify(turns));
  assert.equal(r.timeline.filter((e) => e.kind === 'task').length, 0);
  for (const [a, b] of turns.slice(1).map((e, i) => [turns[i], e])) assert.ok(a.end_ms <= b.start_ms, JSON.stringify([a, b]));
});

test('a pool task can use a ThreadPoolExecutor of its own, in its worker', async () => {
  const { page } = isolated;
  const r = await runPrinting(
    page,
    `
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

def cube(x):
    return x ** 3

def cubes(n):
    with ThreadPoolExecutor() as threads:
        return list(threads.map(cube, range(n)))

if __name__ == '__main__':
    with ProcessPoolExecutor(max_workers=1) as pool:
        print(pool.submit(cubes, 4).result())
`,
    '[0, 1, 8, 27]',
  );
  assert.ok(
    r.output.some((l) => l.worker === 'worker 0' && NO_THREADS.test(l.text)),
    JSON.stringify(r.output),
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

test('Cancel stops an endless thread-pool task, and the tasks queued behind it never run', async () => {
  const { page } = isolated;
  const code = `
from concurrent.futures import ThreadPoolExecutor
def forever(_):
    print('busy', flush=True)
    while True:
        pass
with ThreadPoolExecutor() as pool:
    list(pool.map(forever, range(3)))
`;
  const outcome = await runAndCancel(page, code, 'busy');
  assert.equal(outcome.cancelled, true);
  assert.equal(outcome.error.type, 'KeyboardInterrupt');
  assert.equal(outcome.output.filter((l) => l.text === 'busy').length, 1, JSON.stringify(outcome.output));
  await assertPoolWorks(page);
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

  // Thread-pool turns wait through JSPI as well.
  const turns = await runPrinting(
    page,
    'from concurrent.futures import ThreadPoolExecutor\nwith ThreadPoolExecutor() as pool:\n    print(list(pool.map(abs, range(-3, 0))))\n',
    '[3, 2, 1]',
  );
  assert.deepEqual(
    turns.timeline.map((e) => [e.worker, e.kind]),
    [
      ['main', 'turn'],
      ['main', 'turn'],
      ['main', 'turn'],
    ],
  );

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

// The lesson as the page shows it, through the shared harness: "From the lesson" loads each
// of the course lesson's scripts into the editor, and Run runs it.
const lesson = lessonHarness('python');
const RUN_MS = 240_000; // the lesson's own sizes: ten million steps a task

/** Chooses `name` from "From the lesson" and waits until its script is in the editor; answers the script. */
async function load(page, name) {
  await lesson.set(page, 'example', name);
  await page.waitForSelector(`[data-testid=python-code][data-loaded="${name}"]`);
  return page.inputValue('[data-testid=python-code]');
}

/** The printed lines of the last run, as [who, text]. */
const printedLines = (page) => page.locator('.py-line').evaluateAll((nodes) => nodes.map((n) => [n.dataset.worker, n.querySelector('.py-text').textContent]));

/** The bars of the timeline as drawn: [lane, start, end] in time order, and the lanes. */
const drawnTimeline = (page) =>
  page.evaluate(() => {
    const chart = window.Chart.getChart(document.querySelector('#python-chart-timeline'));
    const bars = chart.data.datasets[0].data.map((d) => [d.y, ...d.x]).sort((a, b) => a[1] - b[1]);
    return { lanes: chart.data.labels, bars };
  });

/** Checks each of `patterns` matches one line the parent printed. */
function printedByMain(lines, patterns) {
  const main = lines.filter(([w]) => w === 'main').map(([, t]) => t);
  for (const pattern of patterns)
    assert.ok(
      main.some((t) => pattern.test(t)),
      `${pattern}: ${main.join('\n')}`,
    );
}

lesson.test('"From the lesson" loads each script without running it, and each runs to its outcome', async (page) => {
  const options = await page.$$eval('[data-testid=python-example] option', (os) => os.map((o) => o.value));
  assert.deepEqual(options, ['', 'four-tasks', 'sequential', 'square', 'lambda', 'primes', 'measure', 'threads']);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  // Loading is not running: the panel stays idle with the script in the editor.
  assert.match(await load(page, 'square'), /^# .*\n[^]*def square\(x\):\n {4}return x \* x\n/);
  assert.equal(await page.getAttribute('#lesson-python .lesson-body', 'data-state'), 'idle');
  assert.equal(await page.locator('.py-line').count(), 0);
  await lesson.run(page, 'done', 'run', RUN_MS);
  printedByMain(await printedLines(page), [/^\[0, 1, 4, 9, 16, 25, 36, 49\]$/]);

  await load(page, 'lambda');
  await lesson.run(page, 'done', 'run', RUN_MS);
  assert.equal(await page.locator('[data-testid=python-progress-text]').textContent(), 'Finished with an error.');
  assert.ok(
    (await lesson.messages(page)).some((m) => m.kind === 'error' && /^Your script stopped with PicklingError: Can't pickle <function <lambda>/.test(m.text)),
    JSON.stringify(await lesson.messages(page)),
  );
  assert.match(await page.locator('[data-testid=python-traceback]').textContent(), /File "main.py", line \d+, in <module>[^]*PicklingError/);

  await load(page, 'primes');
  await lesson.run(page, 'done', 'run', RUN_MS);
  printedByMain(await printedLines(page), [/^found 39 primes$/]);
  assert.equal(await page.getAttribute('#python-timeline', 'data-chunks'), '10', 'ten chunks of fifty');

  await load(page, 'sequential');
  await lesson.run(page, 'done', 'run', RUN_MS);
  printedByMain(await printedLines(page), [/^4 tasks one after another: [\d.]+s$/]);
  assert.equal(await page.locator('[data-testid=python-tasks] dd').textContent(), 'none');

  await load(page, 'four-tasks');
  await lesson.run(page, 'done', 'run', RUN_MS);
  printedByMain(await printedLines(page), [/^4 tasks one after another: [\d.]+s$/, /^4 tasks in processes: +[\d.]+s$/, /^same answers as the loop: True$/]);
  assert.match(await page.locator('[data-testid=python-tasks] dd').textContent(), /^4 on 2 workers$/);

  await load(page, 'measure');
  await lesson.run(page, 'done', 'run', RUN_MS);
  printedByMain(await printedLines(page), [new RegExp(`^cores available: ${cores}$`), /^sequential: [\d.]+s {3}parallel: [\d.]+s {3}speedup: [\d.]+x$/]);

  // The swap: the same answers, a notice said once, and the four tasks one after another on the parent's lane.
  assert.match(await load(page, 'threads'), /from concurrent\.futures import ThreadPoolExecutor\n/);
  await lesson.run(page, 'done', 'run', RUN_MS);
  const lines = await printedLines(page);
  printedByMain(lines, [/^4 tasks one after another: [\d.]+s$/, /^4 tasks in threads: +[\d.]+s$/, /^same answers as the loop: True$/]);
  assert.equal(lines.filter(([w, t]) => w === 'main' && NO_THREADS.test(t)).length, 1, JSON.stringify(lines));
  assert.equal(
    await lesson.messageText(page),
    'Finished in ' + (await page.locator('[data-testid=python-run-time] dd').textContent()) + ', with 4 thread-pool tasks taking turns in the parent.',
  );
  assert.equal(await page.getAttribute('#python-timeline', 'data-workers'), '1');
  const { lanes, bars } = await drawnTimeline(page);
  assert.equal(lanes.length, 1, JSON.stringify(lanes));
  assert.equal(bars.length, 4);
  assert.ok(
    bars.every(([lane]) => lane === lanes[0]),
    JSON.stringify(bars),
  );
  for (let i = 1; i < bars.length; i++) assert.ok(bars[i - 1][2] <= bars[i][1], `turns overlap: ${JSON.stringify(bars)}`);
  assert.match(await page.locator('[data-testid=python-timeline-note]').textContent(), /Bars on the main lane are ThreadPoolExecutor tasks taking turns/);

  // Restore example puts the lesson's own example back and clears the choice.
  await page.click('[data-testid=python-reset]');
  assert.match(await page.inputValue('[data-testid=python-code]'), /^import os\nimport time\n/);
  assert.equal(await page.inputValue('[data-testid=python-example]'), '');
});
