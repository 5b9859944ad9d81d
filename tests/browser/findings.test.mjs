// The words for the core's findings (www/kit/findings.js), checked without a browser:
// every kind of finding the Rust core can emit has a template, and a template fills in
// the numbers it is given. What a finding *means* is tested in Rust (src/findings/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { KINDS, readings, sentence } from '../../www/kit/findings.js';

const FINDINGS_DIR = new URL('../../src/findings/', import.meta.url);

/** The kinds declared by every `enum Finding` in src/findings/*.rs, in snake_case. */
async function rustKinds() {
  const kinds = new Set();
  for (const name of await readdir(FINDINGS_DIR)) {
    if (!name.endsWith('.rs')) continue;
    const source = await readFile(new URL(name, FINDINGS_DIR), 'utf8');
    const body = source.match(/pub enum Finding \{([\s\S]*?)\n\}/)?.[1];
    if (!body) continue;
    for (const [, variant] of body.matchAll(/^ {4}([A-Z][A-Za-z]*)\b/gm)) kinds.add(variant.replace(/(?<!^)[A-Z]/g, (c) => `_${c}`).toLowerCase());
  }
  return kinds;
}

test('every kind of finding the core emits has words', async () => {
  const kinds = await rustKinds();
  assert.ok(kinds.size >= 30, `found only ${kinds.size} kinds: the parser no longer sees the enums`);
  const missing = [...kinds].filter((k) => !KINDS.includes(k));
  assert.deepEqual(missing, []);
  const unused = KINDS.filter((k) => !kinds.has(k));
  assert.deepEqual(unused, [], 'templates for kinds the core no longer emits');
});

test('a template fills in the numbers and names it is given', () => {
  const label = (id) => ({ threads: 'Threads (shared memory)', processes: 'Process pool' })[id] ?? id;
  const close = {
    kind: 'engine_speedup',
    engine: 'threads',
    workers: 2,
    cores: 2,
    tasks: 4,
    speedup: 1.9,
    verdict: 'close',
    ideal: 2,
    limit: 'cores',
    lanes: 2,
    share: 0.95,
    crowded: false,
  };
  assert.equal(sentence(close, label), 'Threads (shared memory), 2 workers: 1.90x faster than sequential — close to the 2x ideal on 2 cores.');
  const noisy = sentence({ ...close, speedup: 2.06, verdict: 'above_ideal', share: 1.03 }, label);
  assert.match(noisy, /^Threads \(shared memory\), 2 workers: 2\.06x .*measurement noise/);
  const fit = { serial_fraction: 0.05, verdict: 'fraction', ceiling: 20 };
  const sweep = sentence({ kind: 'engine_sweep', engine: 'processes', verdict: 'share', speedup: 1.9, workers: 2, lanes: 2, share: 0.95, cores: 2, fit }, label);
  assert.equal(
    sweep,
    "Process pool: best 1.90x with 2 workers, 95% of the 2x ideal on 2 cores; Amdahl's curve fits a serial fraction of 5.0%, which would cap it at 20x on any number of cores.",
  );
  const lines = readings([{ kind: 'only_baseline' }, { kind: 'uneven_tasks', tasks: 6, lanes: 4, busiest: 2, bound: 3 }], label);
  assert.deepEqual(
    lines.map((l) => l.kind),
    ['only_baseline', 'uneven_tasks'],
  );
  assert.match(lines[1].text, /6 tasks do not split evenly over 4 lanes: the busiest lane gets 2, so even a perfect run stops at 3x/);
  assert.throws(() => sentence({ kind: 'no_such_kind' }), /no words for the finding 'no_such_kind'/);
});
