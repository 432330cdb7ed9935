import { InferenceSession, listSupportedBackends } from 'onnxruntime-node';

/** Execution providers a JetLens session can ask for. */
export type ExecutionProviderName = 'cpu' | 'cuda' | 'webgpu';

const PROVIDERS: readonly ExecutionProviderName[] = ['cpu', 'cuda', 'webgpu'];

/** How to get each provider that the default npm install of onnxruntime-node leaves out. */
const INSTALL_HINTS: Record<ExecutionProviderName, string> = {
  cpu: 'it is bundled with every onnxruntime-node install',
  cuda:
    'install the CUDA build (needs network, CUDA 12 and cuDNN 9): ' +
    'ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install',
  webgpu: 'it needs a GPU adapter (Vulkan on Linux) visible to this process',
};

/** Session settings that JetLens exposes: provider and threads. */
export interface SessionSettings {
  /** Where the graph runs (default `cpu`). */
  readonly executionProvider?: ExecutionProviderName;
  /** Threads inside one operator (onnxruntime's default: one per physical core). */
  readonly intraOpNumThreads?: number;
  /** Threads across independent operators (only used by the parallel execution mode). */
  readonly interOpNumThreads?: number;
}

function checkThreads(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
    throw new RangeError(
      `${name}: expected an integer >= 0 (0 = onnxruntime's choice), got ${value}`,
    );
  }
}

/** Checks the settings and turns them into onnxruntime session options. */
export function sessionOptions(settings: SessionSettings): InferenceSession.SessionOptions {
  const provider = settings.executionProvider ?? 'cpu';
  if (!PROVIDERS.includes(provider)) {
    throw new RangeError(
      `executionProvider: expected one of ${PROVIDERS.join(', ')}, got ${JSON.stringify(provider)}`,
    );
  }
  checkThreads('intraOpNumThreads', settings.intraOpNumThreads);
  checkThreads('interOpNumThreads', settings.interOpNumThreads);
  return {
    executionProviders: [provider],
    graphOptimizationLevel: 'all',
    // onnxruntime prints provider load failures itself; JetLens reports them as errors
    logSeverityLevel: 3,
    ...(settings.intraOpNumThreads !== undefined
      ? { intraOpNumThreads: settings.intraOpNumThreads }
      : {}),
    ...(settings.interOpNumThreads !== undefined
      ? { interOpNumThreads: settings.interOpNumThreads }
      : {}),
  };
}

/** How a session manages its working memory; onnxruntime's defaults where unset. */
export interface SessionMemory {
  /**
   * Keep freed activation buffers in a per-session arena for the next run (onnxruntime's
   * default, true). The arena never shrinks: it holds the largest run's activations for the
   * session's life, so a caller that runs rarely or with large batches is better off without.
   */
  readonly enableCpuMemArena?: boolean;
}

/**
 * Creates an onnxruntime session on the configured provider. A provider that this install
 * lacks fails with an error naming it and saying how to get it; JetLens never falls back to
 * another provider silently.
 */
export async function createSession(
  model: Uint8Array,
  settings: SessionSettings,
  memory: SessionMemory = {},
): Promise<InferenceSession> {
  const options = { ...sessionOptions(settings), ...memory };
  const provider = settings.executionProvider ?? 'cpu';
  if (!listSupportedBackends().some((backend) => backend.name === provider)) {
    throw new Error(
      `execution provider '${provider}' is not known to this onnxruntime-node build; ` +
        INSTALL_HINTS[provider],
    );
  }
  try {
    return await InferenceSession.create(model, options);
  } catch (error) {
    if (provider === 'cpu') {
      throw error;
    }
    const reason = (error as Error).message.split('\n')[0];
    throw new Error(
      `execution provider '${provider}' could not start (${reason}); ${INSTALL_HINTS[provider]}`,
      { cause: error },
    );
  }
}
