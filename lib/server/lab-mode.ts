// WARROOM_LAB=1: `npm start` also starts the lab (scripts/lab: demo services old and new, HAProxy,
// Prometheus, a steady load) and points the demo cutover at it, so a new user sees a live
// cutover with moving charts and a real lever.
import { addAllowListSource } from "@/lib/net/allow-list";
import { attachDemoToLab } from "@/lib/services/demo-cutover";

export async function startLabForWarRoom(port: number, log: (line: string) => void): Promise<() => Promise<void>> {
  const { startLab } = await import("../../scripts/lab/index");
  // The lab's Prometheus and services listen on 127.0.0.1: starting the lab allow-lists them.
  addAllowListSource(() => ["127.0.0.1"]);
  const lab = await startLab({ warRoomMetricsUrl: `http://127.0.0.1:${port}/metrics`, handleSignals: false });
  process.env.PROMETHEUS_URL ??= lab.prometheus.url;
  await attachDemoToLab({
    prometheusUrl: lab.prometheus.url,
    router: { kind: "haproxy", socket: lab.haproxy.socketPath, backend: "be_app", oldServer: "old", newServer: "new", stateFile: lab.haproxy.stateFilePath },
  });
  // The load generator is bounded (10 min a run); keep the demo moving by starting it again.
  let stopped = false;
  const keepLoad = async (): Promise<void> => {
    if (stopped) return;
    const load = await lab.startLoad({ rate: 20, durationS: 600 });
    await load.done;
    return keepLoad();
  };
  void keepLoad().catch((err: unknown) => log(`lab: load stopped: ${(err as Error).message}`));
  log(`lab: HAProxy ${lab.haproxy.url} · Prometheus ${lab.prometheus.url} · old ${lab.old.adminUrl} · new ${lab.new.adminUrl}`);
  return async () => {
    stopped = true;
    await lab.stop();
  };
}
