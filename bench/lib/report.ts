/**
 * The one way a JetLens benchmark reports: a table on the terminal and a JSON file under
 * bench/results/, so every figure carries what was measured, against which peer, where and when.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One measured quantity, JetLens against a named peer on the same input in the same run. */
export interface BenchRow {
  /** What was measured, e.g. "batch 32, with attentions". */
  case: string;
  /** The unit of both figures, e.g. "images/s" or "MiB". */
  unit: string;
  jetlens: number;
  peer: number;
  /** True when a larger figure is better (throughput); false for time or memory. */
  higherIsBetter: boolean;
}

export interface BenchResult {
  /** The benchmark's folder name under bench/. */
  name: string;
  /** The peer, named precisely enough to rerun it: "PyTorch 2.9.1 eager, 2 threads". */
  peer: string;
  /** What the benchmark does, in a sentence. */
  description: string;
  rows: BenchRow[];
  /** Anything a reader needs to interpret the rows: input sizes, thread counts, versions. */
  details?: Record<string, unknown>;
}

/**
 * The ratio is always "how many times better JetLens is": above 1 JetLens is ahead, whatever
 * the direction of the unit.
 */
export function advantage(row: BenchRow): number {
  if (row.jetlens <= 0 || row.peer <= 0) return Number.NaN;
  return row.higherIsBetter ? row.jetlens / row.peer : row.peer / row.jetlens;
}

function machine() {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 3;
  return value.toFixed(digits);
}

/** Prints the table and writes bench/results/<name>.json; returns the file's path. */
export function writeResult(result: BenchResult): string {
  const header = ['case', 'unit', 'JetLens', result.peer, 'JetLens advantage'];
  const lines = result.rows.map((row) => [
    row.case,
    row.unit,
    formatNumber(row.jetlens),
    formatNumber(row.peer),
    `${formatNumber(advantage(row))}x`,
  ]);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...lines.map((line) => line[i]?.length ?? 0)),
  );
  const render = (cells: string[]) =>
    cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');

  console.log(`\n${result.name}: ${result.description}`);
  console.log(render(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const line of lines) console.log(render(line));

  const here = dirname(fileURLToPath(import.meta.url));
  const path = join(here, '..', 'results', `${result.name}.json`);
  mkdirSync(dirname(path), { recursive: true });
  const record = {
    ...result,
    rows: result.rows.map((row) => ({ ...row, advantage: advantage(row) })),
    machine: machine(),
    date: new Date().toISOString(),
  };
  writeFileSync(path, `${JSON.stringify(record, null, 2)}\n`);
  console.log(`\nwritten to ${path}`);
  return path;
}
