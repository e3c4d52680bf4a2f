// Small DOM helpers every part of the sandbox page draws with.

/** A new element with an optional class and text. */
export const el = (tag, className, text) => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
};

/** A message's clock time, as the apps show it under a bubble. */
export const timeOf = (ms) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
