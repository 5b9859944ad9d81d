// Whether shared memory really works here, asked of the browser rather than assumed. `crossOriginIsolated` is not enough: WebKitGTK without
// `JSC_useSharedArrayBuffer` reports an isolated page but refuses to clone a shared `WebAssembly.Memory` ("The object can not be cloned.") and gives
// workers no `SharedArrayBuffer`, and a device may refuse the threaded build's large shared reservation. Imported by the page, the driver worker and
// the Python workers, so each asks about its own realm.
//
// Not for: choosing what to do about it; callers fall back and say why.

/** `null` when shared memory can be made, cloned to another realm and waited on; otherwise the browser's reason. */
export function sharedMemoryProblem({ wait = false } = {}) {
  if (globalThis.crossOriginIsolated !== true) return 'this page is not cross-origin isolated';
  if (typeof SharedArrayBuffer !== 'function') return 'this browser gives this realm no SharedArrayBuffer';
  const { port1, port2 } = new MessageChannel();
  try {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    // Cloning throws at once (DataCloneError) where sharing is not allowed.
    port1.postMessage({ memory, buffer: new SharedArrayBuffer(8) });
    // Atomics.wait throws on a thread that may not block (a page's main thread).
    if (wait) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return null;
  } catch (error) {
    return `${error?.name ?? 'Error'}: ${error?.message ?? error}`;
  } finally {
    port1.close();
    port2.close();
  }
}
