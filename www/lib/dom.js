// Small DOM helpers. Text always goes in as text nodes or textContent: nothing here parses HTML, so data from results, URLs or users can never become
// markup.

/** The element with `id`; throws if it is missing, so a typo fails loudly in tests. */
export function byId(id, root = document) {
  const found = root.getElementById ? root.getElementById(id) : root.querySelector(`#${CSS.escape(id)}`);
  if (!found) throw new Error(`missing element #${id}`);
  return found;
}

/**
 * Creates an element. `props` may hold `class` (string), `text` (textContent),
 * `attrs` (setAttribute pairs; never `style` or `on*`), `dataset`, and plain DOM
 * properties (`id`, `type`, `value`, `checked`, `disabled`, …). Children are nodes or
 * strings (added as text).
 */
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key === 'attrs') {
      for (const [name, v] of Object.entries(value)) {
        if (name === 'style' || name.startsWith('on')) throw new Error(`h(): refusing attribute ${name}`);
        if (v !== undefined && v !== null && v !== false) node.setAttribute(name, v === true ? '' : String(v));
      }
    } else if (key === 'dataset') Object.assign(node.dataset, value);
    else node[key] = value;
  }
  append(node, ...children);
  return node;
}

/** Appends nodes and strings (as text) to `parent`, skipping null/false. */
export function append(parent, ...children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Removes every child of `node`. */
export function clear(node) {
  node.replaceChildren();
  return node;
}

/** Offers `text` as a file download through a Blob and a temporary object URL. */
export function download(filename, text, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = h('a', { href: url, download: filename, class: 'visually-hidden' });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
