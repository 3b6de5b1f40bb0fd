/** Time spent in `EventStore.append`, accumulated in-process for the API benchmark (bench/api). */
export const appendTimer = {
  count: 0,
  totalNanoseconds: 0n,
  record(elapsed: bigint): void {
    this.count += 1;
    this.totalNanoseconds += elapsed;
  },
  reset(): void {
    this.count = 0;
    this.totalNanoseconds = 0n;
  },
};
