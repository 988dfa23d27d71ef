/** For the tests of provider hygiene: processes by parent, read from /proc (Linux), and a node child to watch. */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";

interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly state: string;
  readonly args: string;
}

function processInfo(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses
    const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { pid, ppid: Number(ppid), state, args: readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ") };
  } catch {
    return undefined; // ended meanwhile
  }
}

/** The processes whose parent is `parent` and whose command line matches `pattern`. */
export function childrenOf(parent: number, pattern: RegExp): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      const info = processInfo(Number(name));
      return info && info.ppid === parent && info.state !== "Z" && pattern.test(info.args) ? [info.pid] : [];
    });
}

/** Reattached providers started by `parent`. */
export const PROVIDER_PROCESS = /terraform-provider-aws\S* -debug/;

/** True while `pid` runs (a zombie has ended). */
export function isRunning(pid: number): boolean {
  const info = processInfo(pid);
  return info !== undefined && info.state !== "Z";
}

/** Waits until `check` holds, polling; false when `timeoutMs` runs out first. */
export async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

export interface NodeChild {
  readonly pid: number;
  /** stdout and stderr so far. */
  output(): string;
  /** Every reattached provider seen as this child's process so far (polled while it runs). */
  readonly providers: Set<number>;
  readonly ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
}

/** Starts `node --require ./src/register.js <args>` in `cwd` and watches the providers it starts. */
export function startNode(args: string[], cwd: string, env: NodeJS.ProcessEnv): NodeChild {
  const child = spawn(process.execPath, ["--require", "./src/register.js", ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const providers = new Set<number>();
  const poll = setInterval(() => childrenOf(child.pid as number, PROVIDER_PROCESS).forEach((pid) => providers.add(pid)), 100);
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => {
      clearInterval(poll);
      resolve({ code, signal });
    }),
  );
  return { pid: child.pid as number, output: () => output, providers, ended, kill: (signal) => child.kill(signal) };
}

/** The unix sockets left in `dir`: go-plugin's (plugin<number>) and the schema proxies' (workshop-schema-...). */
export function pluginSockets(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((name) => /^(plugin\d+|workshop-schema-.*)$/.test(name)) : [];
}
