/**
 * One terraform-provider-aws process in debug mode ("reattach"): Terraform runs that set TF_REATTACH_PROVIDERS
 * to its address use it instead of starting a provider of their own, as HashiCorp's provider test framework
 * does. What experiments showed, and this module relies on:
 * - The provider prints its address on stdout ("TF_REATTACH_PROVIDERS='{...}'") and serves until it gets
 *   SIGINT, its only stop signal in debug mode; on SIGINT it also removes its unix socket.
 * - It reads AWS_* variables from its own environment, not from Terraform's. AWS_CA_BUNDLE makes every
 *   ConfigureProvider after the first fail in 5.100.0 ("unable to add custom RootCAs HTTPClient"): it is dropped.
 * - Without TF_LOG_* the SDK logs at TRACE to stderr (megabytes per plan), which Terraform is not there to
 *   filter: they are switched off, and stderr goes to a file nobody can see (unlinked at once), never to a pipe:
 *   a provider whose pipe is full stops answering, and this process cannot always read (a synchronous synth).
 * - Terraform checks neither the lock file nor the version constraint of a reattached provider: the caller
 *   starts the right binary (provider-pool.ts).
 * Terraform reaches the provider through a schema proxy in this process (schema-proxy.ts). The provider ends
 * with this process however it ends (normally, an uncaught error, SIGINT/SIGTERM/SIGHUP, even SIGKILL): a
 * watchdog in the shell wrapper removes the proxy's socket and then sends the provider SIGINT when its stdin, a pipe from
 * this process, reaches end of file.
 */
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable, Writable } from "node:stream";
import { schemaCache } from "./schema-cache";
import { startSchemaProxy, type SchemaProxy } from "./schema-proxy";

/** The provider Terraform reattaches to. */
export const AWS_PROVIDER_ADDRESS = "registry.terraform.io/hashicorp/aws";

export interface ReattachConfig {
  readonly Protocol: string;
  readonly ProtocolVersion: number;
  readonly Pid: number;
  readonly Test: boolean;
  readonly Addr: { readonly Network: string; readonly String: string };
}

export interface RunningProvider {
  /** The value of TF_REATTACH_PROVIDERS for a run that uses this provider (through its schema proxy). */
  readonly reattach: string;
  readonly pid: number;
  /** True until the process has ended. */
  alive(): boolean;
  /** The resource and data source types the next run may use (schema-proxy.ts); undefined: all of them. */
  only(types: ReadonlySet<string> | undefined): void;
  /** Stops the provider (SIGINT; SIGKILL after `graceMs`) and its proxy, and removes their sockets. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

/** Removed from the provider's environment: they make a long-running provider fail, or log where nobody reads. */
const DROPPED_ENV = ["AWS_CA_BUNDLE", "TF_REATTACH_PROVIDERS", "TF_LOG", "TF_LOG_PATH"];
const QUIET_ENV = Object.fromEntries(
  ["TF_LOG_PROVIDER", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_SDK_HELPER_SCHEMA", "TF_LOG_SDK_MUX"].map((key) => [key, "off"]),
);
/** A unix socket path must stay under about 104 bytes: a deeper TMPDIR makes the provider fail to listen. */
const SOCKET_DIR_MAX = 60;

/**
 * Reads the line the provider prints in debug mode, `\tTF_REATTACH_PROVIDERS='{"registry...aws":{...}}'`
 * (this output carries no compatibility promise, so it is checked field by field). Undefined for any other line.
 */
export function parseReattachLine(line: string, address = AWS_PROVIDER_ADDRESS): Record<string, ReattachConfig> | undefined {
  const at = line.indexOf("TF_REATTACH_PROVIDERS");
  const start = line.indexOf("{", at);
  const end = line.lastIndexOf("}");
  if (at < 0 || start < 0 || end < start) return undefined;
  let parsed: unknown;
  try {
    // POSIX shell quoting prints a ' inside the JSON as '"'"'
    parsed = JSON.parse(line.slice(start, end + 1).split(`'"'"'`).join("'"));
  } catch {
    return undefined;
  }
  const config = (parsed as Record<string, Partial<ReattachConfig>> | null)?.[address];
  const valid =
    typeof config?.Pid === "number" &&
    typeof config.Protocol === "string" &&
    typeof config.ProtocolVersion === "number" &&
    typeof config.Addr?.Network === "string" &&
    typeof config.Addr.String === "string";
  return valid ? { [address]: config as ReattachConfig } : undefined;
}

// Every provider this process started and has not seen end, so that exit and signal handlers can stop them.
const running = new Set<{ release(): void }>();
let handlersInstalled = false;

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  // A normal end, process.exit() and an uncaught error all emit "exit": closing the pipe makes the watchdog
  // send the provider its one SIGINT (a second one, mid-shutdown, would leave the socket file behind).
  process.on("exit", () => running.forEach((p) => p.release()));
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    const handler = () => {
      running.forEach((p) => p.release());
      // Die of the signal as before, unless someone else handles it.
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, handler);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, handler);
  }
}

/** Starts `binary -debug` with `env` (its AWS settings) and resolves once it has printed its address. */
export async function startProvider(binary: string, env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<RunningProvider> {
  try {
    return await startOnce(binary, env, timeoutMs);
  } catch (error) {
    // go-plugin gives the provider's own server 2 s to report its address; on an overloaded machine that can
    // run out once. Anything else is reported at once.
    if (!/timeout waiting on reattach configuration/.test(String(error))) throw error;
    return startOnce(binary, env, timeoutMs);
  }
}

let started = 0;

function startOnce(binary: string, baseEnv: NodeJS.ProcessEnv, timeoutMs: number): Promise<RunningProvider> {
  const env: NodeJS.ProcessEnv = { ...baseEnv, ...QUIET_ENV, CHECKPOINT_DISABLE: "1" };
  for (const key of DROPPED_ENV) delete env[key];
  if (!env.PLUGIN_UNIX_SOCKET_DIR && (env.TMPDIR || tmpdir()).length > SOCKET_DIR_MAX) env.PLUGIN_UNIX_SOCKET_DIR = "/tmp";
  const proxySocket = join(env.PLUGIN_UNIX_SOCKET_DIR || env.TMPDIR || tmpdir(), `workshop-schema-${process.pid}-${++started}.sock`);
  installExitHandlers();
  // exec keeps the shell's pid, so the child is the provider; fd 3 keeps stdin for the watchdog (a background
  // job of a non-interactive shell gets /dev/null), which also removes the proxy's socket ($1) when this
  // process is gone. Its own process group keeps a terminal's Ctrl-C (sent to the whole foreground group) from
  // reaching the provider besides the watchdog's SIGINT.
  const script = `exec 3<&0; p=$$; { while read -r _ <&3; do :; done; rm -f "$1"; kill -INT "$p" 2>/dev/null; } & exec "$0" -debug <&- 3<&-`;
  const log = providerLog();
  const child = spawn("/bin/sh", ["-c", script, binary, proxySocket], { env, stdio: ["pipe", "pipe", log], detached: true }) as ChildProcessByStdio<
    Writable,
    Readable,
    null
  >;
  const handle = { release: () => void child.stdin.destroy() };
  running.add(handle);
  let socket = "";
  let proxy: SchemaProxy | undefined;
  const exited = new Promise<void>((resolve) =>
    child.on("exit", () => {
      running.delete(handle);
      child.stdin.destroy();
      // A provider that was killed (not stopped with SIGINT) leaves its socket file.
      if (socket) rmSync(socket, { force: true });
      void (proxy?.close() ?? Promise.resolve()).then(resolve);
    }),
  );
  child.stdin.on("error", () => undefined); // EPIPE once the watchdog is gone
  const alive = () => child.exitCode === null && child.signalCode === null;
  const stop = async (graceMs = 5000): Promise<void> => {
    if (alive()) {
      await proxy?.close();
      child.stdin.end();
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    }
    await exited;
  };

  return new Promise((resolve, reject) => {
    let stdout = "";
    let settled = false;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop(1000);
      reject(new Error(`${message}\n${stdout}${tail(log)}`.trim()));
      closeSync(log);
    };
    const timer = setTimeout(() => fail(`${binary} -debug printed no reattach configuration within ${timeoutMs} ms`), timeoutMs);
    child.on("error", (error) => fail(`${binary}: ${error.message}`));
    void exited.then(() => fail(`${binary} -debug ended (exit code ${child.exitCode}, ${child.signalCode ?? "no signal"}) before printing its address`));
    child.stdout.on("data", (chunk: Buffer) => {
      if (proxy || settled) return; // the rest is drained unread
      stdout += chunk.toString("utf8");
      const config = stdout.split("\n").map((line) => parseReattachLine(line)).find(Boolean)?.[AWS_PROVIDER_ADDRESS];
      if (!config || config.Addr.Network !== "unix") return;
      socket = config.Addr.String;
      startSchemaProxy(socket, proxySocket, schemaCache(binary)).then((started) => {
        proxy = started;
        if (settled) return void started.close();
        settled = true;
        clearTimeout(timer);
        closeSync(log); // the provider keeps writing to its own descriptor
        // This process may end while the provider runs; the exit handlers then stop it.
        child.unref();
        for (const stream of [child.stdin, child.stdout]) (stream as unknown as { unref?: () => void }).unref?.();
        const reattach = JSON.stringify({ [AWS_PROVIDER_ADDRESS]: { ...config, Addr: { Network: "unix", String: proxySocket } } });
        resolve({ reattach, pid: config.Pid, alive, only: started.only, stop });
      }, (error: Error) => fail(`the schema proxy for ${binary} did not start: ${error.message}`));
    });
  });
}

/** A file for the provider's stderr, already unlinked: it goes when the last descriptor closes. */
function providerLog(): number {
  const dir = mkdtempSync(join(tmpdir(), "workshop-provider-"));
  const fd = openSync(join(dir, "stderr.log"), "w+");
  rmSync(dir, { recursive: true, force: true });
  return fd;
}

/** The last 4 kB of the provider's stderr, for an error message. */
function tail(fd: number): string {
  try {
    const size = fstatSync(fd).size;
    const buffer = Buffer.alloc(Math.min(size, 4000));
    readSync(fd, buffer, 0, buffer.length, size - buffer.length);
    return buffer.toString("utf8");
  } catch {
    return "";
  }
}
