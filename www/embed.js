// <parallel-playground lesson="chunking" workers="4"></parallel-playground>: one lesson of
// the playground in an iframe sized to its content. Load this file from the playground's
// own host (classic or module script); docs/embedding.md lists every attribute.
(() => {
  const NAME = 'parallel-playground';
  if (!window.customElements || customElements.get(NAME)) return;
  const script = document.currentScript ?? [...document.querySelectorAll('script[src]')].find((s) => /\/embed\.js$/.test(new URL(s.src).pathname));
  const home = new URL('index.html', script ? script.src : location.href);
  // Attributes that belong to the element or the iframe, never passed to the page.
  const OWN = new Set(['src', 'height', 'title', 'embed', 'id', 'class', 'style', 'hidden', 'slot', 'lang', 'dir', 'tabindex', 'part', 'is', 'nonce', 'autofocus', 'inert', 'translate', 'draggable', 'contenteditable', 'spellcheck', 'accesskey', 'popover', 'role']);
  const own = (name) => OWN.has(name) || /^(aria-|data-|on)/.test(name);

  class ParallelPlayground extends HTMLElement {
    constructor() {
      super();
      this.expect();
    }

    /**
     * `ready` resolves with `{ isolated, build, engines }` once the playground inside has
     * started its engines, or rejects with the reason it could not; the element also
     * fires `parallelplayground:ready` or `parallelplayground:error` (both bubble).
     * A new page (changed attributes) brings a new promise.
     */
    expect() {
      this.ready = new Promise((resolve, reject) => {
        this.settle = { resolve, reject };
      });
      this.ready.catch(() => {}); // the event and the promise report it; no unhandled rejection
    }

    connectedCallback() {
      if (!this.frame) this.build();
      addEventListener('message', this);
      this.watch ??= new MutationObserver(() => {
        const next = this.url();
        if (next === this.frame.src) return;
        this.expect();
        this.frame.src = next;
      });
      this.watch.observe(this, { attributes: true });
    }

    disconnectedCallback() {
      removeEventListener('message', this);
      this.watch?.disconnect();
    }

    url() {
      const src = this.getAttribute('src');
      const url = new URL(src ? src : home, document.baseURI);
      url.searchParams.set('embed', '1');
      const lesson = this.getAttribute('lesson');
      if (lesson) url.searchParams.set('lesson', lesson);
      for (const { name, value } of this.attributes) if (name !== 'lesson' && !own(name)) url.searchParams.set(name, value);
      return url.href;
    }

    build() {
      const frame = document.createElement('iframe');
      const lesson = this.getAttribute('lesson');
      // allow and loading count only if set before src.
      frame.setAttribute('allow', 'cross-origin-isolated');
      frame.setAttribute('loading', 'lazy');
      frame.setAttribute('title', this.getAttribute('title') || (lesson ? `Parallel playground: ${lesson}` : 'Parallel playground'));
      const height = Number.parseInt(this.getAttribute('height'), 10);
      Object.assign(frame.style, { display: 'block', width: '100%', border: '0', height: `${height > 0 ? height : 640}px` });
      frame.setAttribute('src', this.url());
      if (!this.style.display) this.style.display = 'block';
      this.frame = frame;
      this.replaceChildren(frame);
    }

    // The playground reports { type: 'parallel-playground:resize', height, lesson } and
    // { type: 'parallel-playground:ready', ready, reason?, isolated?, build?, engines? }.
    handleEvent(event) {
      const data = event.data;
      if (event.source !== this.frame?.contentWindow || !data || typeof data.type !== 'string') return;
      if (event.origin !== new URL(this.frame.src).origin) return;
      if (data.type === 'parallel-playground:resize') {
        const height = Math.ceil(Number(data.height));
        if (height > 0 && height < 100000) this.frame.style.height = `${height}px`;
      } else if (data.type === 'parallel-playground:ready' && this.settle) {
        const { resolve, reject } = this.settle;
        this.settle = null;
        if (data.ready === true) {
          const detail = { isolated: data.isolated === true, build: String(data.build ?? ''), engines: Array.isArray(data.engines) ? data.engines : [] };
          resolve(detail);
          this.dispatchEvent(new CustomEvent('parallelplayground:ready', { detail, bubbles: true }));
        } else {
          const message = String(data.reason ?? 'the playground could not start');
          reject(new Error(message));
          this.dispatchEvent(new CustomEvent('parallelplayground:error', { detail: { message }, bubbles: true }));
        }
      }
    }
  }

  customElements.define(NAME, ParallelPlayground);
})();
