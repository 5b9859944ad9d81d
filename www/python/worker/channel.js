// The SharedArrayBuffer path (cross-origin isolated pages only).
//
// While the main interpreter blocks in Atomics.wait it can't receive postMessage, so pool workers answer through shared memory instead:
//
// - `control` (one per session, made by the page): word 0 is a doorbell that
//   every producer bumps and the main interpreter waits on; word 1 is the
//   page's cancel flag.
// - one mailbox per pool worker: a single-producer, single-consumer slot. A
//   message larger than the slot travels in fragments; the producer waits until
//   the consumer has taken each one, so results of any size fit.

import { sharedMemoryProblem } from '../../lib/shared-memory.js';

export const DOORBELL = 0;
export const CANCEL = 1;
export const CONTROL_BYTES = 16;

const STATE = 0; // 0 empty, 1 holds a fragment
const LENGTH = 1; // the fragment's bytes
const TOTAL = 2; // the whole message's bytes, in every fragment
const HEADER_BYTES = 16;
const MAILBOX_BYTES = 1 << 20;

/** Whether this worker can share memory with others and block on it (see lib/shared-memory.js). */
export const canShareMemory = () => sharedMemoryProblem({ wait: true }) === null;

export const createMailbox = () => new SharedArrayBuffer(HEADER_BYTES + MAILBOX_BYTES);

/** Wakes the main interpreter if it waits on the control words (Atomics.wait). */
export function ringDoorbell(control) {
  Atomics.add(control, DOORBELL, 1);
  Atomics.notify(control, DOORBELL);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A message is a JSON-able header plus an optional byte payload. */
function encode({ payload, ...header }) {
  const head = encoder.encode(JSON.stringify(header));
  const bytes = new Uint8Array(8 + head.length + (payload?.length ?? 0));
  const view = new DataView(bytes.buffer);
  view.setUint32(0, head.length, true);
  view.setUint32(4, payload ? 1 : 0, true);
  bytes.set(head, 8);
  if (payload) bytes.set(payload, 8 + head.length);
  return bytes;
}

function decode(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headLength = view.getUint32(0, true);
  const message = JSON.parse(decoder.decode(bytes.subarray(8, 8 + headLength)));
  if (view.getUint32(4, true)) message.payload = bytes.slice(8 + headLength);
  return message;
}

/** The pool worker's end: `write` blocks only while a previous fragment is unread. */
export class MailboxWriter {
  constructor(mailbox, control, wakeIdle) {
    this.words = new Int32Array(mailbox, 0, HEADER_BYTES / 4);
    this.data = new Uint8Array(mailbox, HEADER_BYTES);
    this.control = new Int32Array(control);
    this.wakeIdle = wakeIdle; // tells an idle main worker, whose event loop is free
  }

  write(message) {
    const bytes = encode(message);
    let offset = 0;
    do {
      Atomics.wait(this.words, STATE, 1);
      const length = Math.min(this.data.length, bytes.length - offset);
      this.data.set(bytes.subarray(offset, offset + length));
      offset += length;
      Atomics.store(this.words, LENGTH, length);
      Atomics.store(this.words, TOTAL, bytes.length);
      Atomics.store(this.words, STATE, 1);
      ringDoorbell(this.control);
      this.wakeIdle();
    } while (offset < bytes.length);
  }
}

/** The main worker's end. */
export class MailboxReader {
  constructor(mailbox) {
    this.words = new Int32Array(mailbox, 0, HEADER_BYTES / 4);
    this.data = new Uint8Array(mailbox, HEADER_BYTES);
    this.partial = null; // the message being put together: { bytes, at }
  }

  /** Takes every waiting fragment; answers the messages they complete. */
  drain() {
    const complete = [];
    while (Atomics.load(this.words, STATE) === 1) {
      const message = (this.partial ??= { bytes: new Uint8Array(Atomics.load(this.words, TOTAL)), at: 0 });
      const length = Atomics.load(this.words, LENGTH);
      message.bytes.set(this.data.subarray(0, length), message.at);
      message.at += length;
      Atomics.store(this.words, STATE, 0);
      Atomics.notify(this.words, STATE);
      if (message.at < message.bytes.length) continue;
      complete.push(decode(message.bytes));
      this.partial = null;
    }
    return complete;
  }
}
