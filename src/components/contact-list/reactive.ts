/** Turns fields into accessors that re-render the host when set (what `@state()` does). */
export function reactive<T extends object>(
  target: T,
  host: { requestUpdate(): void },
  keys: string[],
): void {
  for (const key of keys) {
    let value = (target as Record<string, unknown>)[key];
    Object.defineProperty(target, key, {
      get: () => value,
      set: (next: unknown) => {
        value = next;
        host.requestUpdate();
      },
    });
  }
}
