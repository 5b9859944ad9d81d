// The pool of worker interpreters, owned by the main-interpreter worker. Each member is a nested module worker running pool-worker.js. The pool
// starts and resizes members, counts what each still owes an answer for, and stops busy members on Cancel: with an interrupt (SIGINT through shared
// memory) where the page is isolated, by terminating and replacing them where it isn't, or when an interrupt goes unanswered (code stuck inside C
// never checks for signals).

import { createMailbox, MailboxReader } from './channel.js';
import { wallClock } from './interpreter.js';

const SIGINT = 2;
const INTERRUPT_GRACE_MS = 1000;
let generations = 0;

export class Pool {
  /**
   * `control`: the session's shared control words (SAB mode) or null;
   * `shared`: whether members get an interrupt buffer (shared memory works).
   * Callbacks: onMessage(member, message) for `booted`/`result` answers,
   * onPort(member, port) for the output port the page should listen to,
   * onReady(member), onLost(index, reason) when a busy member was replaced.
   */
  constructor({ cpuCount, control, shared, onMessage, onPort, onReady, onLost }) {
    Object.assign(this, { cpuCount, control, shared, onMessage, onPort, onReady, onLost });
    this.snapshot = null; // the parent's memory snapshot, if one was made: new members restore it
    this.members = [];
    this.idleWaiters = [];
  }

  get size() {
    return this.members.length;
  }

  /** Starts or stops members until there are `size`; answers each one's start-up once all are ready. */
  async resize(size) {
    const started = wallClock();
    while (this.members.length > size) this.members.pop().worker.terminate();
    this.grow(size);
    await Promise.all(this.members.map((m) => m.ready));
    this.#checkIdle();
    return this.members.map((m) => ({ worker: m.index, load_ms: m.load_ms, ready_ms: Math.max(0, m.readyAt - started), restored: m.restored }));
  }

  /** Starts members up to `size` without waiting for them (they queue messages). */
  grow(size) {
    while (this.members.length < size) this.members.push(this.#spawn(this.members.length));
  }

  post(index, message, transfer = []) {
    const member = this.members[index];
    if (!member) throw new Error(`there is no pool worker ${index}`);
    if (message.type === 'bootstrap' || message.type === 'task') member.outstanding += 1;
    member.worker.postMessage(message, transfer);
  }

  /** Resolves once no member owes an answer. */
  idle() {
    const idle = new Promise((resolve) => this.idleWaiters.push(resolve));
    this.#checkIdle();
    return idle;
  }

  stopBusy(reason) {
    for (const member of this.members.filter((m) => m.outstanding > 0)) {
      if (!member.interrupt) {
        this.replace(member.index, reason);
      } else if (!member.interrupted) {
        member.interrupted = true;
        Atomics.store(member.interrupt, 0, SIGINT);
        setTimeout(() => {
          if (this.members[member.index] === member && member.outstanding > 0) this.replace(member.index, reason);
        }, INTERRUPT_GRACE_MS);
      }
    }
  }

  replace(index, reason) {
    const old = this.members[index];
    old.worker.terminate();
    this.members[index] = this.#spawn(index);
    if (old.outstanding > 0) this.onLost(index, reason);
    this.#checkIdle();
  }

  /** SAB mode: collects the answers waiting in the members' mailboxes. */
  drain() {
    for (const member of this.members) {
      for (const message of member.reader?.drain() ?? []) this.#answered(member, message);
    }
  }

  #spawn(index) {
    const gen = ++generations;
    const worker = new Worker(new URL('./pool-worker.js', import.meta.url), { type: 'module', name: `python worker ${index}` });
    const { port1, port2 } = new MessageChannel();
    const interrupt = this.shared ? new SharedArrayBuffer(4) : null;
    const mailbox = this.control ? createMailbox() : null;
    const member = { index, gen, worker, outstanding: 0, interrupted: false, readyAt: null, load_ms: null, restored: false };
    member.interrupt = interrupt && new Int32Array(interrupt);
    member.reader = mailbox && new MailboxReader(mailbox);
    member.ready = new Promise((resolve, reject) => (member.settleReady = { resolve, reject }));
    member.ready.catch(() => {}); // grow() doesn't wait: no unhandled rejection
    worker.onmessage = ({ data }) => this.#receive(member, data);
    worker.onerror = (event) => {
      event.preventDefault?.();
      const reason = event.message ?? 'unknown error';
      if (member.readyAt === null) member.settleReady.reject(new Error(`python worker ${index} failed to start: ${reason}`));
      else if (this.members[index] === member) this.replace(index, `it crashed: ${reason}`); // answers owed become "lost"
    };
    worker.postMessage({ type: 'init', index, gen, port: port2, cpuCount: this.cpuCount, interrupt, mailbox, control: this.control, snapshot: this.snapshot }, [port2]);
    this.onPort(member, port1);
    return member;
  }

  #receive(member, data) {
    if (data.type === 'failed') return member.settleReady.reject(new Error(data.message));
    if (data.type === 'doorbell') return this.drain();
    if (data.type !== 'ready') return this.#answered(member, data);
    Object.assign(member, { load_ms: data.load_ms, restored: data.restored, readyAt: wallClock() });
    member.settleReady.resolve(member);
    this.onReady(member);
  }

  #answered(member, message) {
    if (this.members[member.index] !== member) return; // replaced meanwhile
    member.outstanding -= 1;
    if (member.outstanding === 0 && member.interrupted) {
      member.interrupted = false;
      Atomics.store(member.interrupt, 0, 0);
    }
    this.onMessage(member, message);
    this.#checkIdle();
  }

  #checkIdle() {
    if (this.members.every((m) => m.outstanding === 0)) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
