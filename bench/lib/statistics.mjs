/** The median of `xs` (the upper one of an even count), without reordering `xs`. */
export function median(xs) {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

/** The `p`th percentile of `xs` (nearest rank, clamped to the largest value). */
export function percentile(xs, p) {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
