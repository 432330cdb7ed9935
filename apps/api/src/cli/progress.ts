/**
 * Progress bars for long steps, on stderr and only on a terminal: in logs and CI a bar would be
 * noise, so there the step logs its start and end instead.
 */
import cliProgress from 'cli-progress';

export interface ProgressBar {
  update(fraction: number): void;
  stop(): void;
}

export function progressBar(label: string, enabled = process.stderr.isTTY === true): ProgressBar {
  if (!enabled) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `${label.padEnd(28)} [{bar}] {percentage}% | {duration_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(1000, 0);
  return {
    update: (fraction) => bar.update(Math.round(Math.min(1, Math.max(0, fraction)) * 1000)),
    stop: () => bar.stop(),
  };
}
