// Loads a classic script or a stylesheet once, on first use (so pages without maps or charts do not pay for them).
const pending = new Map();

function once(key, create) {
  if (!pending.has(key)) pending.set(key, create());
  return pending.get(key);
}

export function loadScript(src, ready) {
  if (ready()) return Promise.resolve();
  return once(src, () => new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`${src} could not be loaded`));
    document.head.appendChild(script);
  }));
}

export function loadStyle(href) {
  once(href, () => {
    const css = document.createElement('link');
    css.rel = 'stylesheet';
    css.href = href;
    document.head.appendChild(css);
    return Promise.resolve();
  });
}
