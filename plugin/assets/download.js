// What this device downloads to start Python. The page decides (a worker's navigator may
// not say Save-Data) and tells the worker.

import config from "./config.js";

/** Save-Data or a low-memory device: Python loads only when the reader asks for it, and
 * without the start-up snapshot (less to download, less memory). */
export const sparing = Boolean(navigator.connection?.saveData) || (navigator.deviceMemory ?? 8) <= 2;

/** The start-up snapshot this device loads (a URL relative to the runtime), or null to
 * start Python afresh. */
export const snapshot = sparing ? null : config.pyodideSnapshot;

/** Bytes to download, with the snapshot or not; with `fetchedOnly`, those that go through
 * fetch() (not the modules). */
export function downloadSize({ snapshot: withSnapshot, fetchedOnly = false }) {
  return Object.entries(config.pyodideFiles)
    .filter(([name]) => !(fetchedOnly && name.endsWith(".mjs")))
    .reduce((sum, [, size]) => sum + size, config.wheelSize + (withSnapshot ? config.pyodideSnapshotSize : 0));
}
