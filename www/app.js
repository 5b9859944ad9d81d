// The page shell: starts the bridge, shows what this device and page can do, publishes
// the scriptable surface and shows one lesson at a time, chosen by the URL fragment
// (#engines, …). The lessons, in teaching order, are listed in lessons/index.js; each is
// loaded and mounted when first shown.
import { LESSONS } from './lessons/index.js';
import { byId, h, clear } from './lib/dom.js';

const body = document.body;
const pageMessages = byId('messages');
const startupError = byId('startup-error');

function setStatus(id, text, state) {
  const node = byId(id);
  node.textContent = text;
  if (state) node.dataset.state = state;
}

function fail(reason) {
  body.dataset.app = 'failed';
  setStatus('status-engines', 'failed to start', 'bad');
  clear(startupError);
  startupError.append(h('h2', { text: 'The engines could not start' }), h('p', { text: reason }));
  const hints = [];
  if (location.protocol === 'file:') {
    hints.push('Pages opened from a file cannot start module workers: serve the folder instead, for example with `cargo xtask serve`.');
  } else {
    hints.push('If the WebAssembly build is missing, `cargo xtask serve` builds it and serves the page.');
  }
  hints.push('Reloading the page starts the engines again.');
  for (const hint of hints) startupError.append(h('p', { class: 'hint', text: hint }));
  // role="alert" on this box announces it; the polite region stays quiet to avoid a double reading.
  startupError.hidden = false;
  lessons?.failed();
}

// What is known before the engines answer.
const reportedCores = navigator.hardwareConcurrency || 1;
setStatus('status-cores', String(reportedCores));
setStatus('status-isolated', self.crossOriginIsolated ? 'yes' : 'no', self.crossOriginIsolated ? 'good' : 'warn');

// The lessons' navigation and headings show at once; their contents mount once the
// engines have answered.
const lessons = buildLessons();

let bridge;
try {
  bridge = await import('./bridge.js');
} catch (error) {
  fail(`the page's bridge to the engines did not load (${error?.message ?? error}).`);
}

if (bridge) {
  window.parallelPlayground = bridge.api;
  const slow = setTimeout(() => setStatus('status-engines', 'still starting…'), 15_000);
  try {
    await bridge.ready;
    const caps = await bridge.capabilities();
    clearTimeout(slow);
    showCapabilities(caps);
    body.dataset.app = 'ready';
    lessons.start({ caps, bridge: bridge.api });
  } catch (error) {
    clearTimeout(slow);
    fail(error?.message ?? String(error));
  }
}

function showCapabilities(caps) {
  const cores = caps.cores === reportedCores ? String(caps.cores) : `${caps.cores} (browser reports ${reportedCores})`;
  setStatus('status-cores', cores);
  setStatus('status-isolated', caps.isolated ? 'yes' : 'no', caps.isolated ? 'good' : 'warn');
  setStatus('status-build', caps.build, caps.build === 'threaded' ? 'good' : 'warn');
  const usable = caps.engines.filter((e) => e.available).length;
  setStatus('status-engines', `${usable} of ${caps.engines.length} ready`, usable === caps.engines.length ? 'good' : 'warn');
  if (!caps.isolated) {
    pageMessages.append(
      h('p', {
        class: 'message message-warning',
        text: 'This page is not cross-origin isolated, so the engines that need shared memory are switched off; the sequential and process-pool engines still run.',
      }),
    );
  }
}

function buildLessons() {
  const nav = byId('lesson-nav');
  const host = byId('lessons');
  const panels = new Map();
  let context = null;

  for (const [index, lesson] of LESSONS.entries()) {
    const link = h('a', { href: `#${lesson.id}`, id: `nav-${lesson.id}`, dataset: { lesson: lesson.id } }, h('span', { class: 'nav-number', text: `${index + 1}` }), lesson.title);
    nav.append(h('li', {}, link));
    const loading = h('p', { class: 'loading', dataset: { loading: lesson.id }, text: 'Starting the engines: loading the WebAssembly core and its workers…' });
    const content = h('div', { class: 'lesson-body' });
    const section = h(
      'section',
      { id: `lesson-${lesson.id}`, class: 'lesson', hidden: true, dataset: { lesson: lesson.id }, attrs: { 'aria-labelledby': `lesson-${lesson.id}-title`, 'data-testid': `lesson-${lesson.id}` } },
      h('h2', { id: `lesson-${lesson.id}-title`, class: 'lesson-title', attrs: { tabindex: '-1' } }, h('span', { class: 'lesson-number', text: `Lesson ${index + 1}` }), lesson.title),
      content,
      loading,
    );
    host.append(section);
    panels.set(lesson.id, { lesson, section, link, content, loading, introduced: false, mounted: false });
  }

  async function mount(panel) {
    try {
      panel.module ??= panel.lesson.load();
      const lesson = await panel.module;
      if (!panel.introduced && lesson.intro) lesson.intro(panel.content);
      panel.introduced = true;
      if (panel.mounted || !context) return;
      panel.mounted = true;
      panel.loading.remove();
      lesson.mount(panel.content, context);
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
      const active = panel === target;
      panel.section.hidden = !active;
      if (active) panel.link.setAttribute('aria-current', 'page');
      else panel.link.removeAttribute('aria-current');
    }
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
  show(fragment());
  addEventListener('hashchange', () => show(fragment(), { focus: true }));

  return {
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
