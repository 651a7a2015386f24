/**
 * A bounded memory of keys seen recently (activity ids, conversations already stored). Teams
 * re-delivers an activity when our answer is slow; this turns the second delivery into a no-op
 * within one process. Writes stay idempotent across processes through their SourceKey.
 */
export class RecentActivities {
  private readonly keys = new Map<string, number>();

  constructor(
    private readonly capacity: number,
    private readonly ttlMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when the key was seen within the time to live; records it either way. */
  seenBefore(key: string): boolean {
    const t = this.now();
    const at = this.keys.get(key);
    if (at !== undefined && t - at < this.ttlMs) return true;
    this.keys.delete(key);
    this.keys.set(key, t);
    if (this.keys.size > this.capacity) {
      const oldest = this.keys.keys().next().value;
      if (oldest !== undefined) this.keys.delete(oldest);
    }
    return false;
  }

  forget(key: string): void {
    this.keys.delete(key);
  }
}
