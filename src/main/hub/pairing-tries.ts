/**
 * Wrong pairing codes counted per client address (decision 008): a machine that fails
 * `PER_ADDRESS` times is refused for the rest of that code's life, while the desk the code was
 * given for can still use it. The code itself is burnt only at the site-wide ceiling kept in the
 * database (`MAX_CODE_FAILURES`, core/devices), which takes many machines to reach.
 */
export const PAIRING_TRIES_PER_ADDRESS = 5;

export class PairingTries {
  private code: string | null = null;
  private readonly failures = new Map<string, number>();

  constructor(private readonly perAddress = PAIRING_TRIES_PER_ADDRESS) {}

  /** Forgets the counts of an earlier code. `code` identifies the active code (never the code itself). */
  private use(code: string): void {
    if (this.code === code) return;
    this.code = code;
    this.failures.clear();
  }

  exhausted(code: string, address: string): boolean {
    this.use(code);
    return (this.failures.get(address) ?? 0) >= this.perAddress;
  }

  /** Records a wrong try; true when this address has now used all its tries. */
  fail(code: string, address: string): boolean {
    this.use(code);
    const n = (this.failures.get(address) ?? 0) + 1;
    if (this.failures.size < 10_000 || this.failures.has(address)) this.failures.set(address, n);
    return n >= this.perAddress;
  }
}
