// How numbers are written on the page: counts, times, factors, shares and sizes, the same way in every lesson's tables, charts and notes. Pure
// formatting only: no DOM, and no verdicts (whether a number is good or bad is decided in Rust and comes as findings).

/** "1 worker", "3 workers". */
export function plural(count, word) {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** Milliseconds with sensible precision: 3.14, 31.4, 314; "—" when unknown. */
export function formatMs(ms) {
  return Number.isFinite(ms) ? ms.toFixed(ms < 10 ? 2 : ms < 100 ? 1 : 0) : '—';
}

/** Milliseconds with their unit: "3.14 ms", "— ms" when unknown. */
export const formatMsUnit = (ms) => `${formatMs(ms)} ms`;

/** Microseconds: 0.042, 3.5, 120. */
export function formatUs(us) {
  if (!Number.isFinite(us)) return '—';
  return us < 0.1 ? us.toPrecision(2) : us.toFixed(us < 10 ? 1 : 0);
}

/** 10000000 → "10 million", 1e9 → "1 billion"; other values as digits with separators. */
export function formatCount(n) {
  if (!Number.isFinite(n)) return String(n);
  if (n >= 1e9 && n % 1e9 === 0) return `${n / 1e9} billion`;
  if (n >= 1e6 && n % 1e6 === 0) return `${n / 1e6} million`;
  return n.toLocaleString('en-US');
}

/** "1 chunk", "10,000 chunks". */
export const formatChunks = (count) => `${formatCount(count)} chunk${count === 1 ? '' : 's'}`;

/** 20000000 → "20M", 1500 → "1.5k": for axis ticks and tight cells. */
export function compactCount(n) {
  const v = Number(n);
  if (Math.abs(v) >= 1e9) return `${+(v / 1e9).toFixed(2)}G`;
  if (Math.abs(v) >= 1e6) return `${+(v / 1e6).toFixed(1)}M`;
  if (Math.abs(v) >= 1e3) return `${+(v / 1e3).toFixed(1)}k`;
  return String(v);
}

/** A factor such as an ideal: 2 → "2x", 2.5 → "2.50x". */
export function formatFactor(value) {
  return Number.isFinite(value) ? `${Number.isInteger(value) ? value : value.toFixed(2)}x` : '—';
}

/** A measured speedup, always with two decimals: 1.8604 → "1.86x". */
export function formatSpeedup(value) {
  return Number.isFinite(value) ? `${value.toFixed(2)}x` : '—';
}

/** A fraction as a percentage: 0.05 → "5.0%", 0.25 → "25%". */
export function formatPercent(fraction) {
  if (!Number.isFinite(fraction)) return '—';
  const pct = fraction * 100;
  if (pct !== 0 && Math.abs(pct) < 10) return `${pct.toFixed(1)}%`;
  return `${Math.round(pct)}%`;
}

/** Bytes in decimal units with three significant digits: 1 KB, 2.5 MB, 256 MB. */
export function formatBytes(bytes) {
  if (!Number.isFinite(bytes)) return '—';
  const trim = (value) => String(Number(value.toPrecision(3)));
  if (bytes >= 1e9) return `${trim(bytes / 1e9)} GB`;
  if (bytes >= 1e6) return `${trim(bytes / 1e6)} MB`;
  if (bytes >= 1e3) return `${trim(bytes / 1e3)} KB`;
  return `${bytes} B`;
}
