// Page cache over guest-virtual memory for one request: async reads, plus synchronous peeks for the DWARF readers.
// The unwinder and the location evaluator read memory synchronously; a peek that misses is recorded, the pages are
// fetched, and the computation is run again (withMemory) until it needs nothing new.

export const PAGE_SIZE = 0x1000;
const PAGE = BigInt(PAGE_SIZE);
/** Fetch-and-retry rounds before a computation is accepted with whatever it could read. */
const MAX_ROUNDS = 24;

export type PageFetcher = (address: bigint, length: number) => Promise<Uint8Array | undefined>;

export class MemoryCache {
  /** Page contents, or null for a page that cannot be read. */
  private readonly pages = new Map<bigint, Uint8Array | null>();
  private readonly misses = new Set<bigint>();

  constructor(private readonly fetch: PageFetcher, private readonly addressBits: number) {}

  /** Bytes already cached; records the missing pages and returns undefined when some are not. */
  peek(address: bigint, size: number): Uint8Array | undefined {
    const got = this.assemble(address, size, true);
    return got ?? undefined;
  }

  async read(address: bigint, size: number): Promise<Uint8Array | undefined> {
    if (size === 0) return new Uint8Array(0);
    const first = this.assemble(address, size, true);
    if (first !== undefined) return first ?? undefined;
    await this.fill();
    return this.assemble(address, size, false) ?? undefined;
  }

  /** Fetches the pages recorded as missing; false when there were none. */
  async fill(): Promise<boolean> {
    if (this.misses.size === 0) return false;
    const wanted = [...this.misses];
    this.misses.clear();
    for (const page of wanted) {
      if (this.pages.has(page)) continue;
      const bytes = await this.fetch(page, PAGE_SIZE);
      this.pages.set(page, bytes && bytes.length >= PAGE_SIZE ? bytes : null);
    }
    return true;
  }

  /** Forgets everything (after the guest's memory was written). */
  clear(): void {
    this.pages.clear();
    this.misses.clear();
  }

  /** The bytes; null when a page is known unreadable; undefined when pages are missing (recorded if `record`). */
  private assemble(address: bigint, size: number, record: boolean): Uint8Array | null | undefined {
    const mask = (1n << BigInt(this.addressBits)) - 1n;
    const start = address & mask;
    if (start + BigInt(size) - 1n > mask) return null;
    const out = new Uint8Array(size);
    let missing = false;
    for (let done = 0; done < size;) {
      const at = start + BigInt(done);
      const page = at - (at % PAGE);
      const data = this.pages.get(page);
      const inPage = Number(at - page);
      const n = Math.min(size - done, PAGE_SIZE - inPage);
      if (data === null) return null;
      if (data === undefined) {
        missing = true;
        if (record) this.misses.add(page);
      } else {
        out.set(data.subarray(inPage, inPage + n), done);
      }
      done += n;
    }
    return missing ? undefined : out;
  }
}

/** Runs a synchronous computation that peeks memory, fetching what it missed and running it again. */
export async function withMemory<T>(cache: MemoryCache, compute: () => T): Promise<T> {
  let result = compute();
  for (let round = 0; round < MAX_ROUNDS && (await cache.fill()); round++) result = compute();
  return result;
}
