// Small DOM helpers shared by the pages: elements built from text, never from HTML.

export function el(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.append(...children);
  return node;
}

/** A status badge: the tone colours it, the text says it. */
export function badge(node, tone, text) {
  node.dataset.tone = tone;
  node.textContent = text;
  return node;
}
