// WARROOM_LAB=1: `npm start` also starts the lab (demo services old and new, HAProxy, Prometheus,
// a steady load) and points the demo cutover at it, so a new user sees a live cutover with moving
// charts and a real lever. The lab's HAProxy and Prometheus reach the app as a configuration file
// of its own, like any operator-defined integration. The server knows nothing of the lab: this
// hook is registered by a preload (./register.ts) and runs once the server listens.
import path from "node:path";
import type { StartHook } from "../../lib/server/start-hooks";
import { startLab } from "./index";
import { LAB_PROMETHEUS, LAB_ROUTER, writeLabServerConfig } from "./server-config";

/** What node needs before the server bundle to start the war room with the lab (tsx: the lab runs from source). */
export const LAB_NODE_ARGS = ["--import", "tsx", "--import", "./scripts/lab/register.ts"];

export const startLabForWarRoom: StartHook = async ({ port, log, addServerConfigFile, attachDemo }) => {
  const lab = await startLab({ warRoomMetricsUrl: `http://127.0.0.1:${port}/metrics`, handleSignals: false });
  const file = path.join(lab.dataDir, "warroom.config.json");
  writeLabServerConfig(file, lab);
  addServerConfigFile(file);
  await attachDemo({ prometheusSource: LAB_PROMETHEUS, routerIntegration: LAB_ROUTER });
  // The load generator is bounded (10 min a run); keep the demo moving by starting it again.
  let stopped = false;
  const keepLoad = async (): Promise<void> => {
    if (stopped) return;
    const load = await lab.startLoad({ rate: 20, durationS: 600 });
    await load.done;
    return keepLoad();
  };
  void keepLoad().catch((err: unknown) => log(`lab: load stopped: ${(err as Error).message}`));
  log(`lab: HAProxy ${lab.haproxy.url} · Prometheus ${lab.prometheus.url} · old ${lab.old.adminUrl} · new ${lab.new.adminUrl} · integrations "${LAB_ROUTER}", "${LAB_PROMETHEUS}" from ${file}`);
  return async () => {
    stopped = true;
    await lab.stop();
  };
};
