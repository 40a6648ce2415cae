import { median } from './statistics.mjs';

/** A bench's header line: what ran, then the Node version (figures differ between Node majors). */
export function header(text) {
  return `${text}, Node ${process.version}`;
}

/** A rate as a right-aligned whole number with thousands separators. */
export function formatRate(n, width) {
  return Math.round(n).toLocaleString('en-US').padStart(width);
}

/** The median of the per-round ratios `measured[i] / baseline[i]`. */
export function medianRatio(measured, baseline) {
  return median(measured.map((x, i) => x / baseline[i]));
}

/** A median CPU-per-event cell, aligned. */
export function cpuCell(cpuMicros) {
  return `${median(cpuMicros).toFixed(1).padStart(5)} µs CPU/event`;
}
