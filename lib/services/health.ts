// Health as the runbooks describe it: /health, /health/readiness, /health/liveness.
import { statfs } from "node:fs/promises";
import { db } from "@/lib/db/client";
import { config } from "@/lib/config";

async function databaseLatency(timeoutMs = 2000): Promise<number | null> {
  const t0 = performance.now();
  try {
    await Promise.race([
      db().$queryRawUnsafe("SELECT 1"),
      new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), timeoutMs)),
    ]);
    return Math.round((performance.now() - t0) * 10) / 10;
  } catch {
    return null;
  }
}

export async function healthReport() {
  const latency = await databaseLatency();
  const memory = process.memoryUsage();
  let diskFreeGb: number | null = null;
  try {
    const fs = await statfs(config.dataDir);
    diskFreeGb = Math.round(((fs.bavail * fs.bsize) / 1024 ** 3) * 10) / 10;
  } catch {
    diskFreeGb = null;
  }
  const healthy = latency !== null;
  return {
    httpStatus: healthy ? 200 : 503,
    body: {
      status: healthy ? "healthy" : "unhealthy",
      timestamp: new Date().toISOString(),
      version: config.version,
      database: healthy ? "connected" : "disconnected",
      checks: {
        database_latency_ms: latency,
        disk_free_gb: diskFreeGb,
        memory_rss_mb: Math.round(memory.rss / 1024 / 1024),
        uptime_s: Math.round(process.uptime()),
      },
    },
  };
}

export async function isReady(): Promise<boolean> {
  return (await databaseLatency()) !== null;
}
