// Types of lit-fixes.mjs for the TypeScript that imports it (test/build/lit-fixes.test.ts).
import type { Plugin } from 'esbuild';
export const REMOVE_PART_FILE: RegExp;
export function fixRemovePart(source: string, file?: string): string;
export const litFixesEsbuild: Plugin;
export const litFixesDevServer: {
  name: string;
  transform(context: { path: string; body: unknown }): { body: string } | undefined;
};
