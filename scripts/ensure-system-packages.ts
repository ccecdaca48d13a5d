// Installs the system programs the tests and the lab need (Debian packages) when they are missing.
// Usage: tsx scripts/ensure-system-packages.ts chromium haproxy prometheus nginx alertmanager
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const PACKAGES: Record<string, { binary: string; apt: string[] }> = {
  chromium: { binary: "/usr/bin/chromium", apt: ["chromium"] },
  haproxy: { binary: "/usr/sbin/haproxy", apt: ["haproxy"] },
  prometheus: { binary: "/usr/bin/prometheus", apt: ["prometheus"] },
  nginx: { binary: "/usr/sbin/nginx", apt: ["nginx"] },
  alertmanager: { binary: "/usr/bin/prometheus-alertmanager", apt: ["prometheus-alertmanager"] },
};

function onPath(name: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" }).status === 0;
}

export function ensureSystemPackages(names: string[]): void {
  const unknown = names.filter((n) => !PACKAGES[n]);
  if (unknown.length) throw new Error(`unknown system package: ${unknown.join(", ")} (known: ${Object.keys(PACKAGES).join(", ")})`);
  const missing = names.filter((n) => !existsSync(PACKAGES[n]!.binary) && !onPath(n));
  if (missing.length === 0) return;
  const apt = missing.flatMap((n) => PACKAGES[n]!.apt);
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !onPath("apt-get")) {
    throw new Error(`missing ${missing.join(", ")}: install the Debian package(s) with: sudo apt-get install -y ${apt.join(" ")}`);
  }
  console.log(`[setup] installing ${apt.join(", ")} from Debian packages (one time)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  try {
    execFileSync("apt-get", ["update", "-qq"], { stdio: ["ignore", "ignore", "inherit"], env });
    execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...apt], { stdio: ["ignore", "ignore", "inherit"], env });
  } catch (err) {
    throw new Error(`apt-get could not install ${apt.join(" ")}: ${(err as Error).message}`);
  }
  const still = missing.filter((n) => !existsSync(PACKAGES[n]!.binary) && !onPath(n));
  if (still.length) throw new Error(`installed ${apt.join(" ")} but ${still.join(", ")} is still not found`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    ensureSystemPackages(process.argv.slice(2));
  } catch (err) {
    console.error(`[setup] ${(err as Error).message}`);
    process.exit(1);
  }
}
