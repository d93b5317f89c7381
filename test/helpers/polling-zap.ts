/**
 * A model of how Zapier runs a polling trigger for one Zap: the first successful poll after the
 * Zap is turned on (`isPopulatingDedupe`) records every id it returns as seen and runs nothing;
 * each later poll runs the Zap for ids it has not seen, and records them. A poll that errors
 * records nothing (the baseline waits for the next one). Turning the Zap off and on starts again.
 */
export class PollingZap<T extends { id: string }> {
  readonly seen = new Set<string>();
  readonly fired: T[] = [];
  readonly errors: string[] = [];
  private populated = false;

  constructor(private readonly poll: (populating: boolean) => Promise<T[]>) {}

  /** One poll: the items it fired (none for the baseline); an error is kept, not thrown. */
  async run(): Promise<T[]> {
    let items: T[];
    try {
      items = await this.poll(!this.populated);
    } catch (error) {
      this.errors.push((error as Error).message);
      return [];
    }
    const fresh = this.populated ? items.filter((item) => !this.seen.has(item.id)) : [];
    for (const item of items) this.seen.add(item.id);
    this.populated = true;
    this.fired.push(...fresh);
    return fresh;
  }

  turnOffAndOn(): void {
    this.seen.clear();
    this.populated = false;
  }
}
