// `window.parallelPlayground` from the page's first moment. A classic script, loaded before every other script of the page, so that a course author's
// script that runs on `load` (or even earlier) finds the object and can `await` its `ready` promise. The engines themselves arrive later, with the
// page's module code (app.js and bridge.js), which connects them here; until then every method waits for them.
//
// Not for: anything else. It computes nothing and holds no state beyond the connection.
(() => {
  if (window.parallelPlayground) return;
  let connect;
  let refuse;
  const engines = new Promise((resolve, reject) => {
    connect = resolve;
    refuse = reject;
  });
  // Both rejections are reported where they happen (the page shows why it failed, and `ready` rejects for whoever awaits it); these branches only
  // stop the browser from calling them unhandled when nobody does.
  engines.catch(() => {});
  const ready = engines.then((api) => api.ready);
  ready.catch(() => {});
  let connected = null;
  // Each method waits for the engines, then is the bridge's own.
  const later = (name) => [name, (...args) => engines.then((api) => api[name](...args))];
  const surface = {
    ready,
    ...Object.fromEntries(['capabilities', 'run', 'call', 'cancel', 'panicForTesting'].map(later)),
    /** The largest `workers` value once the engines are connected, `null` before. */
    get maxWorkers() {
      return connected ? connected.maxWorkers : null;
    },
  };
  // The page's own module code calls this once, with the bridge's API or the reason it could not load; it is not enumerable and not part of the
  // documented surface.
  Object.defineProperty(surface, Symbol.for('parallel-playground.connect'), {
    value(api, failure) {
      if (connected || !connect) return;
      if (api) {
        connected = api;
        connect(api);
      } else {
        refuse(failure instanceof Error ? failure : new Error(String(failure)));
      }
      connect = refuse = null;
      ready
        .then(() => api.capabilities())
        .then(
          (capabilities) => dispatchEvent(new CustomEvent('parallelplayground:ready', { detail: { capabilities } })),
          (error) => dispatchEvent(new CustomEvent('parallelplayground:error', { detail: { message: error?.message ?? String(error) } })),
        );
    },
  });
  window.parallelPlayground = Object.freeze(surface);
})();
