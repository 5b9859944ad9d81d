// Sizes each playground iframe on this page to the height its page reports. Add it once
// to the course page (inline or as a file); it serves every playground iframe there.
// The same snippet is in docs/embedding.md.
window.addEventListener('message', (event) => {
  const data = event.data;
  if (!data || data.type !== 'parallel-playground:resize') return;
  for (const frame of document.querySelectorAll('iframe')) {
    if (frame.contentWindow !== event.source) continue;
    // Only the page inside the frame may size it.
    if (new URL(frame.src, location.href).origin !== event.origin) return;
    const height = Math.ceil(Number(data.height));
    if (height > 0 && height < 100000) frame.style.height = `${height}px`;
  }
});
