// The page shell: starts the bridge, shows what this device and page can do, publishes the scriptable surface and shows one lesson at a time, chosen
// by the URL fragment (#engines, …). The lessons, in teaching order, are listed in lessons/index.js; each is loaded and mounted when first shown.
import { LESSONS } from './lessons/index.js';
import { byId, h } from './lib/dom.js';
import { readPreset, presetLink } from './lib/url-state.js';

// Presets from the URL come first: they choose the theme, embed mode and lesson.
const { preset, problems: urlProblems } = readPreset(location.search, { lessonIds: LESSONS.map((l) => l.id) });
if (preset.theme === 'light' || preset.theme === 'dark') document.documentElement.dataset.theme = preset.theme;
const embedded = preset.embed === true;
if (embedded) document.body.dataset.embed = '1';

const pageMessages = byId('messages');
const startupError = byId('startup-error');

function setStatus(id, text, state) {
  const node = byId(id);
  node.textContent = text;
  if (state) node.dataset.state = state;
}

/** A warning above the lessons; `kind` (`url`, `fallback`) says what it is about. */
function warn(text, kind) {
  pageMessages.append(h('p', { class: 'message message-warning', dataset: kind && { kind }, text }));
}

function fail(reason) {
  document.body.dataset.app = 'failed';
  setStatus('status-engines', 'failed to start', 'bad');
  const serve =
    location.protocol === 'file:'
      ? 'Pages opened from a file cannot start module workers: serve the folder instead, for example with `cargo xtask serve`.'
      : 'If the WebAssembly build is missing, `cargo xtask serve` builds it and serves the page.';
  const hints = [serve, 'Reloading the page starts the engines again.'].map((hint) => h('p', { class: 'hint', text: hint }));
  startupError.replaceChildren(h('h2', { text: 'The engines could not start' }), h('p', { text: reason }), ...hints);
  // role="alert" on this box announces it; the polite region stays quiet to avoid a double reading.
  startupError.hidden = false;
  lessons?.failed();
}

// What is known before the engines answer.
const reportedCores = navigator.hardwareConcurrency || 1;
setStatus('status-cores', String(reportedCores));
setStatus('status-isolated', self.crossOriginIsolated ? 'yes' : 'no', self.crossOriginIsolated ? 'good' : 'warn');

for (const problem of urlProblems) warn(problem, 'url');

// The lessons' navigation and headings show at once; their contents mount once the engines have answered.
const lessons = buildLessons();
if (embedded) startEmbedding();
setUpCopyLink();

// api.js published the surface before any other script ran; connect it to the engines.
const CONNECT = Symbol.for('parallel-playground.connect');
const publish = (api, failure) => {
  if (window.parallelPlayground?.[CONNECT]) window.parallelPlayground[CONNECT](api, failure);
  else if (api) window.parallelPlayground = api;
};

const slow = setTimeout(() => setStatus('status-engines', 'still starting…'), 15_000);
try {
  const bridge = await import('./bridge.js').catch((error) => {
    const failure = new Error(`the page's bridge to the engines did not load (${error?.message ?? error}).`);
    publish(null, failure);
    throw failure;
  });
  publish(bridge.api);
  await bridge.ready;
  const caps = await bridge.capabilities();
  clearTimeout(slow);
  showCapabilities(caps);
  document.body.dataset.app = 'ready';
  lessons.start({ caps, bridge: bridge.api });
  tellHost({ ready: true, isolated: caps.isolated, build: caps.build, engines: caps.engines });
} catch (error) {
  clearTimeout(slow);
  const reason = error?.message ?? String(error);
  fail(reason);
  tellHost({ ready: false, reason });
}

/** In embed mode, the host page (and its `<parallel-playground>` element) hears when the engines are ready. */
function tellHost(state) {
  if (embedded && window.parent !== window) window.parent.postMessage({ type: 'parallel-playground:ready', ...state }, '*');
}

function showCapabilities(caps) {
  const cores = caps.cores === reportedCores ? String(caps.cores) : `${caps.cores} (browser reports ${reportedCores})`;
  setStatus('status-cores', cores);
  setStatus('status-isolated', caps.isolated ? 'yes' : 'no', caps.isolated ? 'good' : 'warn');
  setStatus('status-build', caps.build, caps.build === 'threaded' ? 'good' : 'warn');
  const usable = caps.engines.filter((e) => e.available).length;
  setStatus('status-engines', `${usable} of ${caps.engines.length} ready`, usable === caps.engines.length ? 'good' : 'warn');
  if (!caps.isolated) {
    warn('This page is not cross-origin isolated, so the engines that need shared memory are switched off; the sequential and process-pool engines still run.');
  } else if (caps.threadsUnavailable) {
    warn(`The thread engines are switched off in this browser: ${caps.threadsUnavailable} The sequential and process-pool engines still run.`, 'fallback');
  }
}

function buildLessons() {
  const nav = byId('lesson-nav');
  const host = byId('lessons');
  const panels = new Map();
  let context = null;

  for (const [index, lesson] of LESSONS.entries()) {
    const { id, title } = lesson;
    const link = h('a', { href: `#${id}`, id: `nav-${id}`, dataset: { lesson: id } }, h('span', { class: 'nav-number', text: `${index + 1}` }), title);
    nav.append(h('li', {}, link));
    const loading = h('p', { class: 'loading', dataset: { loading: id }, text: 'Starting the engines: loading the WebAssembly core and its workers…' });
    const content = h('div', { class: 'lesson-body' });
    const number = h('span', { class: 'lesson-number', text: `Lesson ${index + 1}` });
    const heading = h('h2', { id: `lesson-${id}-title`, class: 'lesson-title', attrs: { tabindex: '-1' } }, number, title);
    const attrs = { 'aria-labelledby': `lesson-${id}-title`, 'data-testid': `lesson-${id}` };
    const section = h('section', { id: `lesson-${id}`, class: 'lesson', hidden: true, dataset: { lesson: id }, attrs }, heading, content, loading);
    host.append(section);
    panels.set(id, { lesson, section, link, content, loading, introduced: false, mounted: false, ready: null });
  }

  // The URL's settings go to the lesson the page opens with, once.
  let presetApplied = false;
  async function mount(panel) {
    try {
      const lesson = await (panel.module ??= panel.lesson.load());
      if (!panel.introduced) lesson.intro?.(panel.content);
      panel.introduced = true;
      if (panel.mounted || !context) return;
      panel.mounted = true;
      panel.loading.remove();
      lesson.mount(panel.content, context);
      panel.ready = lesson;
      if (presetApplied) return;
      presetApplied = true;
      const notes = lesson.applyPreset(panel.content, preset);
      for (const note of notes) warn(`From the URL: ${note}`, 'url');
      if (preset.autorun) panel.content.querySelector(`#${panel.lesson.id}-run`)?.click();
    } catch (error) {
      if (panel.failed) return;
      panel.failed = true;
      panel.loading.remove();
      panel.content.append(h('p', { class: 'message message-error', text: `This lesson failed to load: ${error?.message ?? error}` }));
    }
  }

  let current = null;
  function show(lessonId, { focus = false } = {}) {
    const target = panels.get(lessonId) ?? (current ? null : panels.values().next().value);
    if (!target) return; // a fragment that names no lesson (e.g. an in-page anchor)
    for (const panel of panels.values()) {
      panel.section.hidden = panel !== target;
      panel.link.removeAttribute('aria-current');
    }
    target.link.setAttribute('aria-current', 'page');
    mount(target);
    current = target;
    document.title = `${target.lesson.title} — Parallel playground`;
    if (focus) target.section.querySelector('h2')?.focus();
  }

  // Only known lesson ids are looked up; the fragment itself never reaches the page.
  const fragment = () => {
    try {
      return decodeURIComponent(location.hash.slice(1));
    } catch {
      return '';
    }
  };
  show(panels.has(fragment()) ? fragment() : (preset.lesson ?? fragment()));
  addEventListener('hashchange', () => show(fragment(), { focus: true }));

  return {
    /** The lesson on show, and its controls' current settings. */
    currentState: () => (current ? { lesson: current.lesson.id, ...current.ready?.readState(current.content) } : {}),
    /** Mounts the shown lesson now that the engines can run; others mount when first shown. */
    start(ready) {
      context = ready;
      if (current) mount(current);
    },
    /** Replaces the loading notes after a failed start. */
    failed() {
      for (const panel of panels.values()) panel.loading.textContent = 'The engines did not start, so this lesson cannot run here (see above).';
    },
  };
}

/** Embed mode: tell the parent page our height whenever it changes, and offer the full page. */
function startEmbedding() {
  const full = new URL(location.href);
  full.searchParams.delete('embed');
  const link = h('a', { id: 'open-full', class: 'open-full', href: full.href, target: '_blank', rel: 'noopener', text: 'Open the full playground ↗' });
  byId('main').prepend(h('p', { class: 'embed-bar' }, link));
  if (window.parent === window) return;
  let last = 0;
  const report = () => {
    const height = Math.ceil(document.documentElement.scrollHeight);
    if (height === last) return;
    last = height;
    const lesson = lessons.currentState().lesson ?? null;
    window.parent.postMessage({ type: 'parallel-playground:resize', height, lesson }, '*');
  };
  new ResizeObserver(report).observe(document.body);
  report();
}

/** "Copy link": the current lesson and settings as a URL a course author can paste. */
function setUpCopyLink() {
  const button = byId('copy-link');
  const output = byId('copy-link-output');
  button.addEventListener('click', async () => {
    const state = lessons.currentState();
    if (preset.theme) state.theme = preset.theme;
    if (embedded) state.embed = true;
    const link = presetLink(location.href, state);
    output.value = link;
    output.hidden = false;
    output.select();
    try {
      await navigator.clipboard.writeText(link);
      pageMessages.replaceChildren(h('p', { class: 'message message-success', text: 'Link copied: it opens this lesson with these settings.' }));
    } catch {
      pageMessages.replaceChildren(h('p', { class: 'message message-info', text: 'Copy the selected link below: this browser did not allow copying it for you.' }));
    }
  });
}
