/** Keeps the last lines of a process's output: enough to explain a failure, bounded in memory. */
export class OutputTail {
  private readonly lines: string[] = [];
  private partial = "";

  constructor(
    private readonly max = 40,
    private readonly onLine?: (line: string) => void,
  ) {}

  push(chunk: Buffer | string): void {
    const parts = (this.partial + chunk.toString()).split(/\r?\n/);
    this.partial = parts.pop() ?? "";
    for (const line of parts) this.add(line);
  }

  text(): string {
    if (this.partial) {
      this.add(this.partial);
      this.partial = "";
    }
    return this.lines.join("\n");
  }

  private add(line: string): void {
    this.onLine?.(line);
    this.lines.push(line);
    if (this.lines.length > this.max) this.lines.shift();
  }
}
