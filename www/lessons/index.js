// The lessons in teaching order. Each is its own module, loaded the first time it is shown, so a learner who never opens the Python lesson never
// downloads Python. A lesson module exports { id, title, mount(container, context) } and optionally intro(container): its static introduction
// (lessons/<id>.html), shown while the engines start.
export const LESSONS = [
  { id: 'engines', title: 'Same interface, different engine', load: () => import('./engines.js') },
  { id: 'speedup', title: 'Speedup versus workers', load: () => import('./speedup.js') },
  { id: 'chunking', title: 'Overhead is real: chunk your work', load: () => import('./chunking.js') },
  { id: 'copying', title: 'Everything crossing over is copied', load: () => import('./copying.js') },
  { id: 'shared-state', title: 'Share results, not state', load: () => import('./shared-state.js') },
  { id: 'amdahl', title: "Amdahl's law", load: () => import('./amdahl.js') },
  { id: 'measure', title: "Measure, don't assume", load: () => import('./measure.js') },
  { id: 'startup', title: 'Start-up and the entry point', load: () => import('./startup.js') },
  { id: 'python', title: 'Your own Python, on real cores', load: () => import('./python.js') },
];
