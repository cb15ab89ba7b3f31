import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '../../lib/util/hash';
import { EXTENSION_DIR, findChromium } from '../../scripts/lib/browser';
import { FIREFOX_EXTENSION_DIR } from '../../scripts/lib/firefox';

export interface MachineInfo {
  /** The results file's name in bench/results/ (machineId). */
  id?: string;
  os: string;
  cpuModel: string;
  cores: number;
  memoryGB: number;
  node: string;
  chromium: string;
  /** Set when Firefox cases ran: `firefox --version`. */
  firefox?: string;
  /** 1-minute load average at the start and end of the run: other work on the machine skews timings. */
  loadavgStart: number;
  loadavgEnd?: number;
  /** Set when .output/ changed while the suite ran (another engineer rebuilt): results are suspect. */
  buildChangedDuringRun?: boolean;
  /** Which build was measured: the content script's hash (the build has no version bump per change). */
  contentScriptSha256: string | null;
  extensionVersion: string | null;
}

function chromiumVersion(): string {
  try {
    const out = execFileSync(findChromium(), ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 15_000 });
    return out.split('\n').find((l) => /\d+\.\d+\.\d+/.test(l))?.trim() ?? out.trim();
  } catch (error) {
    return `unknown (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
  }
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  const cs = join(EXTENSION_DIR, 'content-scripts/call.js');
  const manifest = join(EXTENSION_DIR, 'manifest.json');
  return {
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    chromium: chromiumVersion(),
    loadavgStart: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
    contentScriptSha256: existsSync(cs) ? sha256Hex(readFileSync(cs)).slice(0, 16) : null,
    extensionVersion: existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version ?? null : null,
  };
}

export function describeMachine(m: MachineInfo): string {
  return `${m.cpuModel}, ${m.cores} cores, ${m.memoryGB} GB RAM; ${m.os}; Node ${m.node}; ${m.chromium} (headless=new, --disable-gpu)`;
}

/**
 * Which machine a results file is from: `CANDOR_BENCH_MACHINE` when set (name your laptop), else
 * the CPU model, core count and memory, e.g. `amd-epyc-2c-24gb`. bench/results/ keeps one file
 * per machine, the latest complete run (bench/run.ts).
 */
export function machineId(m: Pick<MachineInfo, 'cpuModel' | 'cores' | 'memoryGB'>): string {
  const named = process.env.CANDOR_BENCH_MACHINE;
  const raw = named && named.trim() ? named : `${m.cpuModel}-${m.cores}c-${Math.round(m.memoryGB)}gb`;
  return raw.toLowerCase().replace(/\(r\)|\(tm\)/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'unknown';
}

/**
 * A fingerprint of the built extension (every file's path, size and mtime). Other engineers rebuild
 * .output/ while the suite runs; a run that straddles a rebuild measured two builds (or a broken one).
 */
export function buildFingerprint(): string {
  if (!existsSync(EXTENSION_DIR) && !existsSync(FIREFOX_EXTENSION_DIR)) return 'missing';
  const lines: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const st = statSync(path, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) walk(path);
      else lines.push(`${path}:${st.size}:${st.mtimeMs}\n`);
    }
  };
  // Both builds: the Firefox cases measure .output/firefox-mv2.
  for (const dir of [EXTENSION_DIR, FIREFOX_EXTENSION_DIR]) if (existsSync(dir)) walk(dir);
  return sha256Hex(lines.join('')).slice(0, 16);
}
