import type { StreamEvent } from './event-source.js';

/**
 * The most recent events, bounded by count and by bytes (each frame is kept once, shared with the
 * connections), oldest dropped first. `complete after` is the sequence
 * after which the ring holds every event it was given: replay from memory is only allowed from there.
 */
export class EventRing {
  readonly #slots: Array<StreamEvent | undefined>;
  #start = 0;
  #size = 0;
  #completeAfter: number;
  #bytes = 0;
  readonly #maxBytes: number;

  constructor(capacity: number, completeAfter: number, maxBytes = 16 * 1024 * 1024) {
    this.#slots = new Array(Math.max(1, capacity));
    this.#completeAfter = completeAfter;
    this.#maxBytes = maxBytes;
  }

  /** The ring holds every event with a sequence greater than this. */
  get completeAfter(): number {
    return this.#completeAfter;
  }

  push(event: StreamEvent): void {
    const capacity = this.#slots.length;
    while (this.#size > 0 && (this.#size === capacity || this.#bytes + event.frame.length > this.#maxBytes)) {
      this.#dropOldest();
    }
    this.#slots[(this.#start + this.#size) % capacity] = event;
    this.#size++;
    this.#bytes += event.frame.length;
  }

  #dropOldest(): void {
    const dropped = this.#slots[this.#start]!;
    this.#slots[this.#start] = undefined;
    this.#completeAfter = dropped.position.sequence;
    this.#bytes -= dropped.frame.length;
    this.#start = (this.#start + 1) % this.#slots.length;
    this.#size--;
  }

  /** Events after `sequence` on the given subjects, oldest first. */
  after(sequence: number, subjects: ReadonlySet<string>): StreamEvent[] {
    const out: StreamEvent[] = [];
    const capacity = this.#slots.length;
    for (let i = 0; i < this.#size; i++) {
      const event = this.#slots[(this.#start + i) % capacity]!;
      if (event.position.sequence > sequence && subjects.has(event.subject)) out.push(event);
    }
    return out;
  }
}
