// The errors the playground's API rejects with, as classes, so a script can test `error instanceof ConfigError` as well as `error.name ===
// 'ConfigError'`. The names are part of the public API and do not change.
//
// Comlink carries only an error's name and message (and stack) from the driver worker to the page, so `fromWorker` rebuilds the right class from the
// name, in the bridge and nowhere else. Not for: deciding what is an error; the driver and the core do that.

/** Settings that were refused; `errors` has one sentence per problem. */
export class ConfigError extends Error {
  constructor(errors) {
    const list = Array.isArray(errors) && errors.length ? errors.map(String) : ['the settings were refused'];
    super(list.join('\n'));
    this.name = 'ConfigError';
    this.errors = list;
  }
}

/** The run was stopped by `cancel()`. */
export class CancelledError extends Error {
  constructor(message = 'the run was cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

/** Another run was still in progress. */
export class BusyError extends Error {
  constructor(message = 'a run is already in progress: wait for it or cancel it') {
    super(message);
    this.name = 'BusyError';
  }
}

/** The wasm code panicked; the message is the panic's. The engines restart by themselves. */
export class EnginePanic extends Error {
  name = 'EnginePanic';
}

const BY_NAME = { ConfigError, CancelledError, BusyError, EnginePanic };

/**
 * The error to reject with for `error` as it arrived from the driver worker: an
 * instance of the class its name stands for (a ConfigError's `errors` come back from
 * its message, one per line), or the error itself when the name is not one of ours.
 */
export function fromWorker(error) {
  const Class = Object.hasOwn(BY_NAME, error?.name) ? BY_NAME[error.name] : null;
  if (!Class || error instanceof Class) return error;
  const message = String(error.message ?? '');
  const rebuilt = Class === ConfigError ? new ConfigError(error.errors ?? message.split('\n')) : new Class(message);
  if (error.stack) rebuilt.stack = error.stack;
  return rebuilt;
}
