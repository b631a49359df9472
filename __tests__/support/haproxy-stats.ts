/** Reads HAProxy's admin socket (`show stat`) without socat. */
import { createConnection } from "net";

export interface ServerStat {
  proxy: string;
  server: string;
  status: string;
}

export function showStat(socketPath: string): Promise<ServerStat[]> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath);
    let text = "";
    socket.setTimeout(2000, () => socket.destroy(new Error("stats socket timeout")));
    socket.on("connect", () => socket.write("show stat\n"));
    socket.on("data", (d) => (text += d.toString()));
    socket.on("error", reject);
    socket.on("close", () => {
      const lines = text.split("\n").filter((l) => l && !l.startsWith("#"));
      resolve(
        lines.map((l) => {
          const cols = l.split(",");
          return { proxy: cols[0], server: cols[1], status: cols[17] };
        }),
      );
    });
  });
}

/** Status of each server of one backend, keyed by server name. */
export async function serverStatuses(socketPath: string, backend: string): Promise<Record<string, string>> {
  const stats = await showStat(socketPath);
  return Object.fromEntries(
    stats.filter((s) => s.proxy === backend && s.server !== "BACKEND" && s.server !== "FRONTEND").map((s) => [s.server, s.status]),
  );
}
