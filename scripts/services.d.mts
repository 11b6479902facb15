// Types of services.mjs for the TypeScript that imports it (bench/cluster.ts).
export interface RunningService {
  url: string;
  stop(): Promise<void>;
}
export function findPostgresBin(): string | null;
export function findRedisServer(): string | null;
export function startPostgres(options?: { durable?: boolean }): Promise<RunningService | null>;
export function startRedis(): Promise<RunningService | null>;
export function startTestServices(options?: { durable?: boolean }): Promise<{
  env: Record<string, string>;
  stop(): Promise<void>;
}>;
