// A shared machine's load drifts while a bench runs, so the sides take turns in short rounds and
// the figures are medians of the rounds: whatever drifts hits every side alike.

/** ABBA order for two sides: as given on even rounds, reversed on odd ones. */
export function alternate(round, [a, b]) {
  return round % 2 === 0 ? [a, b] : [b, a];
}

/** The sides rotated by `round`, so each goes first in turn. */
export function rotate(round, names) {
  const order = [...names];
  for (let k = 0; k < round % order.length; k++) order.push(order.shift());
  return order;
}

/**
 * Runs each side named in `warmUp` once (not counted), then `rounds` rounds of every side in the
 * order `order(round, names)` gives. Returns each side's results, one per round.
 */
export async function runRounds({ sides, rounds, order = alternate, warmUp = [] }) {
  for (const side of warmUp) await sides[side]();
  const names = Object.keys(sides);
  const results = Object.fromEntries(names.map((side) => [side, []]));
  for (let round = 0; round < rounds; round++) {
    for (const side of order(round, names)) results[side].push(await sides[side]());
  }
  return results;
}
