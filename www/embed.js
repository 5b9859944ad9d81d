// <parallel-playground lesson="chunking" workers="4">: one lesson in an iframe sized to its content. Load it from the playground's host;
// docs/embedding.md has the attributes.
(() => {
  const NAME = 'parallel-playground';
  if (!window.customElements || customElements.get(NAME)) return;
  const script = document.currentScript ?? [...document.querySelectorAll('script[src]')].find((s) => /\/embed\.js$/.test(new URL(s.src).pathname));
  const home = new URL('index.html', script ? script.src : location.href);
  // Attributes that belong to the element or the iframe, never passed to the page.
  const OWN = new Set(
    'src height title embed id class style hidden slot lang dir tabindex part is nonce autofocus inert translate draggable contenteditable spellcheck accesskey popover role'.split(
      ' ',
    ),
  );
  const own = (name) => OWN.has(name) || /^(aria-|data-|on)/.test(name);

  class ParallelPlayground extends HTMLElement {
    constructor() {
      super();
      this.expect();
    }
    // `ready`: the engines inside started (or why not); each new page brings a new one.
    expect() {
      this.ready = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
      this.ready.catch(() => {});
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

    // The page reports { type: 'parallel-playground:resize', height, lesson } and { type: 'parallel-playground:ready', ready, reason | isolated,
    // build, engines }.
    handleEvent({ data, source, origin }) {
      if (source !== this.frame?.contentWindow || !data || origin !== new URL(this.frame.src).origin) return;
      if (data.type === 'parallel-playground:resize') {
        const height = Math.ceil(Number(data.height));
        if (height > 0 && height < 100000) this.frame.style.height = `${height}px`;
      } else if (data.type === 'parallel-playground:ready' && this.settle) {
        const ok = data.ready === true;
        const detail = ok ? { isolated: data.isolated === true, build: String(data.build), engines: [].concat(data.engines ?? []) } : { message: String(data.reason) };
        this.settle[ok ? 'resolve' : 'reject'](ok ? detail : new Error(detail.message));
        this.settle = null;
        this.dispatchEvent(new CustomEvent(`parallelplayground:${ok ? 'ready' : 'error'}`, { detail, bubbles: true }));
      }
    }
  }

  customElements.define(NAME, ParallelPlayground);
})();
