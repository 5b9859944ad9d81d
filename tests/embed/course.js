// Test fixture: a course page in an LMS that embeds the playground twice, as a raw iframe
// (sized by resize-snippet.js) and as <parallel-playground> (from the playground's own
// embed.js). The playground's address comes from ?playground=URL; the preset parameters
// below are passed on to both. Nothing from the URL is ever parsed as HTML.
const PRESETS = ['lesson', 'theme', 'autorun', 'engine', 'workload', 'workers', 'tasks', 'n', 'chunksize', 'payload', 'serial', 'repetitions', 'warmup'];

const params = new URLSearchParams(location.search);
const problem = document.getElementById('setup-error');

function playgroundBase() {
  let base;
  try {
    base = new URL(params.get('playground') ?? '');
  } catch {
    return null;
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') return null;
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  base.search = '';
  base.hash = '';
  return base;
}

const base = playgroundBase();
if (!base) {
  problem.textContent = 'Give the playground address as ?playground=https://host/path/';
  problem.hidden = false;
} else {
  const presets = PRESETS.filter((name) => params.has(name)).map((name) => [name, params.get(name)]);
  const lesson = params.get('lesson') ?? 'engines';

  // 1. The raw iframe, exactly as docs/embedding.md shows it.
  const src = new URL('index.html', base);
  src.searchParams.set('embed', '1');
  src.searchParams.set('lesson', lesson);
  for (const [name, value] of presets) src.searchParams.set(name, value);
  const frame = document.createElement('iframe');
  frame.id = 'raw-frame';
  frame.setAttribute('allow', 'cross-origin-isolated');
  frame.setAttribute('loading', 'lazy');
  frame.title = `Parallel playground: ${lesson}`;
  Object.assign(frame.style, { display: 'block', width: '100%', height: '640px', border: '0' });
  frame.src = src.href;
  document.getElementById('raw-slot').append(frame);

  // 2. The element, defined by embed.js from the playground's origin.
  const element = document.createElement('parallel-playground');
  element.id = 'element-embed';
  element.setAttribute('lesson', lesson);
  for (const [name, value] of presets) if (name !== 'lesson') element.setAttribute(name, value);
  document.getElementById('element-slot').append(element);
  const script = document.createElement('script');
  script.src = new URL('embed.js', base).href;
  script.addEventListener('error', () => {
    problem.textContent = `embed.js did not load from ${script.src}`;
    problem.hidden = false;
  });
  document.head.append(script);
}
