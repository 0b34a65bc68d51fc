// Reader state (edited code, labels, progress) in localStorage, one entry per widget:
//   key   "lecture/<site path>/<page path>#<widget id>"
//   value {"v": SCHEMA, "data": {...}}
// Corrupt or unknown entries are set aside under "<key>~corrupt" and reported, never thrown.

const SCHEMA = 1;
const PREFIX = "lecture/";
const siteRoot = new URL("../../", import.meta.url).pathname;

function storage() {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // blocked by privacy settings: state lives for this page view only
  }
}

export function pagePath(location = globalThis.location) {
  const path = location.pathname.startsWith(siteRoot) ? location.pathname.slice(siteRoot.length) : location.pathname;
  return path.replace(/index\.html$/, "");
}

/** The store of one widget; `onProblem(message)` hears about set-aside state. */
export function widgetStore(widgetId, { page = pagePath(), onProblem = () => {} } = {}) {
  const key = `${PREFIX}${siteRoot}${page}#${widgetId}`;
  const memory = new Map();
  const load = () => {
    const backend = storage();
    const text = backend ? backend.getItem(key) : memory.get(key);
    if (text === null || text === undefined) return {};
    try {
      const entry = JSON.parse(text);
      if (entry?.v !== SCHEMA || typeof entry.data !== "object" || entry.data === null)
        throw new Error("unknown format");
      return entry.data;
    } catch (error) {
      backend?.setItem(`${key}~corrupt`, text);
      backend?.removeItem(key);
      onProblem(
        `Saved state for this widget could not be read (${error.message}); it was set aside and the widget starts fresh.`,
      );
      return {};
    }
  };
  const save = (data) => {
    const text = JSON.stringify({ v: SCHEMA, data });
    const backend = storage();
    try {
      if (backend) backend.setItem(key, text);
      else memory.set(key, text);
    } catch (error) {
      onProblem(`Your changes could not be saved in this browser (${error.message}).`);
    }
  };
  return {
    key,
    get(name) {
      return load()[name];
    },
    /** Everything saved, as an object (for an export). */
    all: () => load(),
    set(name, value) {
      const data = load();
      if (value === undefined) delete data[name];
      else data[name] = value;
      save(data);
    },
    reset() {
      storage()?.removeItem(key);
      memory.delete(key);
    },
  };
}
