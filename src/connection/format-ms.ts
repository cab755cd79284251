/** `3 s`, or `1500 ms` when the time is not a whole number of seconds. */
export function formatMs(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`
}
