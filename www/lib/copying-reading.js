// Pure helpers for the copying lesson: payload sizes, byte formatting, and the sentences
// that read a payload measurement. No DOM and no globals, so a test can call every
// function here with made-up numbers.
import { formatCount, formatMs } from './reading.js';
import { formatRatio } from './chunking-reading.js';

/** Payload sizes the slider steps through (bytes), 1 KB to the driver's 256 MB cap. */
export const PAYLOAD_SIZES = [
  1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 2e6, 5e6, 1e7, 2e7, 5e7, 1e8, 2e8, 2.56e8,
];

/** The three ways to get bytes to a worker, in the order the driver measures them. */
export const MODES = [
  { id: 'copy', label: 'Copy (structured clone)', short: 'Copy' },
  { id: 'transfer', label: 'Transfer (Transferable)', short: 'Transfer' },
  { id: 'shared', label: 'Shared memory', short: 'Shared' },
];

export function modeLabel(mode) {
  return MODES.find((m) => m.id === mode)?.label ?? mode;
}

/** 1000 → "1 KB", 2.56e8 → "256 MB" (decimal units, as the driver's cap is). */
export function formatBytes(bytes) {
  if (!Number.isFinite(bytes)) return '—';
  if (bytes >= 1e9) return `${trim(bytes / 1e9)} GB`;
  if (bytes >= 1e6) return `${trim(bytes / 1e6)} MB`;
  if (bytes >= 1e3) return `${trim(bytes / 1e3)} KB`;
  return `${bytes} B`;
}

function trim(value) {
  return String(Number(value.toPrecision(3)));
}

/** Sizes a sweep measures: 1 KB, 10 KB, … below `upTo`, and `upTo` itself. */
export function sweepSizes(upTo) {
  const sizes = [];
  for (let b = 1e3; b < upTo; b *= 10) sizes.push(b);
  sizes.push(upTo);
  return sizes;
}

/** A duration, or "below the timer's resolution" when it cannot be told from zero. */
export function formatShip(ms, resolutionMs) {
  if (Number.isFinite(resolutionMs) && ms <= resolutionMs) return `under ${formatMs(resolutionMs)} ms (the timer's resolution here)`;
  return `${formatMs(ms)} ms`;
}

/**
 * Sentences reading one payload result: `{ bytes, modes: [{ mode, available, reason,
 * ship: { median, min, max }, compute: { median } }] }`. `resolutionMs` is the page's
 * timer resolution. Answers `[{ mode, text }]`, one per mode and a closing one.
 */
export function describePayload({ bytes, modes }, { resolutionMs = 0.005 } = {}) {
  const size = formatBytes(bytes);
  const byId = Object.fromEntries(modes.map((m) => [m.id ?? m.mode, m]));
  const copy = byId.copy?.available ? byId.copy : null;
  const out = [];
  for (const m of modes) {
    const mode = m.id ?? m.mode;
    if (!m.available) {
      out.push({ mode, text: `${modeLabel(mode)}: not measured here: ${m.reason}. Open the isolated page to compare.` });
      continue;
    }
    const ship = m.ship.median;
    const compute = m.compute.median;
    const shipText = formatShip(ship, resolutionMs);
    if (mode === 'copy') {
      const ratio = compute > 0 ? ship / compute : NaN;
      const verdict = !Number.isFinite(ratio)
        ? ''
        : ratio >= 1
          ? `: ${formatRatio(ratio)} the time spent using the data, so moving it cost more than the work`
          : ratio >= 0.2
            ? `: ${Math.round(ratio * 100)}% of the time spent using the data, a large extra cost`
            : `: only ${Math.round(ratio * 100)}% of the time spent using the data`;
      const rate = ship > 0 && bytes >= 1e6 ? ` (about ${formatBytes((bytes / ship) * 1000)}/s)` : '';
      out.push({ mode, text: `Copy: shipping ${size} took ${shipText}${rate}, against ${formatMs(compute)} ms for the worker to touch every byte${verdict}.` });
    } else if (mode === 'transfer') {
      const faster = copy && ship > 0 && copy.ship.median > ship ? `, ${formatRatio(copy.ship.median / ship)} quicker than copying` : '';
      out.push({ mode, text: `Transfer: ${shipText}${faster}. The buffer changes owner instead of being copied, so the sender can no longer use it until the worker hands it back.` });
    } else {
      out.push({ mode, text: `Shared memory: ${shipText}. Nothing is shipped but a note of where the bytes are; both sides read the same memory, which only a cross-origin isolated page may have, as with the threads engine.` });
    }
  }
  const transfer = byId.transfer?.available ? byId.transfer : null;
  if (copy && transfer) {
    const tie = copy.ship.median <= 3 * Math.max(transfer.ship.median, resolutionMs);
    out.push({
      mode: 'summary',
      text: tie
        ? `At ${size} the three ways cost about the same: sending any message at all, not the bytes, is what takes the time. Try a bigger payload.`
        : `At ${size} the bytes themselves are the cost: copying grows with every byte, while transferring and sharing stay about as cheap as an empty message.`,
    });
  }
  return out;
}

/**
 * A sentence comparing the smallest and largest payload measured: `results` are payload
 * results (see describePayload), any order. Null when fewer than two sizes were measured.
 */
export function describeSweep(results) {
  const sorted = [...results].sort((a, b) => a.bytes - b.bytes);
  if (sorted.length < 2) return null;
  const [small, big] = [sorted[0], sorted[sorted.length - 1]];
  const ship = (r, mode) => r.modes.find((m) => (m.id ?? m.mode) === mode && m.available)?.ship.median;
  const growth = big.bytes / small.bytes;
  const parts = [`From ${formatBytes(small.bytes)} to ${formatBytes(big.bytes)} (${formatCount(Math.round(growth))} times the bytes)`];
  const copyA = ship(small, 'copy');
  const copyB = ship(big, 'copy');
  if (Number.isFinite(copyA) && Number.isFinite(copyB)) parts.push(`copying went from ${formatMs(copyA)} to ${formatMs(copyB)} ms`);
  const moveA = ship(small, 'transfer');
  const moveB = ship(big, 'transfer');
  if (Number.isFinite(moveA) && Number.isFinite(moveB)) parts.push(`transferring from ${formatMs(moveA)} to ${formatMs(moveB)} ms`);
  const shareA = ship(small, 'shared');
  const shareB = ship(big, 'shared');
  if (Number.isFinite(shareA) && Number.isFinite(shareB)) parts.push(`sharing from ${formatMs(shareA)} to ${formatMs(shareB)} ms`);
  return `${parts[0]}, ${parts.slice(1).join(', ')}.`;
}
