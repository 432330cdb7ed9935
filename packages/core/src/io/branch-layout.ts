import { RootReadError } from './errors.js';
import type { RootBranch, RootTree } from './root-file.js';

/** The numeric types the reader decodes, by their size and kind on disk (big-endian). */
export type RootElementType =
  | 'float32'
  | 'float64'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'bool';

export const ELEMENT_SIZE: Record<RootElementType, number> = {
  float32: 4,
  float64: 8,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  uint64: 8,
  bool: 1,
};

/**
 * How one branch is laid out on disk:
 * - `scalar`: one value per entry (`x/F`);
 * - `counted`: a leaf-count array (`x[n]/F`), the layout uproot writes;
 * - `vector`: a `std::vector<T>` TBranchElement, the layout of the published JetClass files,
 *   where every entry carries a 10-byte header (byte count, class version, length).
 */
export interface BranchLayout {
  name: string;
  kind: 'scalar' | 'counted' | 'vector';
  type: RootElementType;
  branch: RootBranch;
}

const LEAF_TYPES: Record<string, [RootElementType, RootElementType]> = {
  TLeafF: ['float32', 'float32'],
  TLeafD: ['float64', 'float64'],
  TLeafB: ['int8', 'uint8'],
  TLeafS: ['int16', 'uint16'],
  TLeafI: ['int32', 'uint32'],
  TLeafL: ['int64', 'uint64'],
  TLeafO: ['bool', 'bool'],
};

const VECTOR_TYPES: Record<string, RootElementType> = {
  float: 'float32',
  double: 'float64',
  char: 'int8',
  'unsigned char': 'uint8',
  short: 'int16',
  'unsigned short': 'uint16',
  int: 'int32',
  'unsigned int': 'uint32',
  long: 'int64',
  Long64_t: 'int64',
  'unsigned long': 'uint64',
  ULong64_t: 'uint64',
  bool: 'bool',
};

function findBranch(branches: RootBranch[], name: string): RootBranch | undefined {
  for (const b of branches) {
    if (b.fName === name) return b;
    const inner = findBranch(b.fBranches?.arr ?? [], name);
    if (inner) return inner;
  }
  return undefined;
}

/** Every branch name of the tree, sub-branches included. */
export function branchNames(tree: RootTree): string[] {
  const out: string[] = [];
  const walk = (list: RootBranch[]) => {
    for (const b of list) {
      out.push(b.fName);
      walk(b.fBranches?.arr ?? []);
    }
  };
  walk(tree.fBranches.arr);
  return out;
}

export function hasBranch(tree: RootTree, name: string): boolean {
  return findBranch(tree.fBranches.arr, name) !== undefined;
}

/** Finds `name` in `tree` and works out its layout, or says why JetLens cannot read it. */
export function branchLayout(file: string, tree: RootTree, name: string): BranchLayout {
  const where = { file, tree: tree.fName, branch: name };
  const branch = findBranch(tree.fBranches.arr, name);
  if (!branch) {
    const names = branchNames(tree);
    const shown = names.slice(0, 12).join(', ') + (names.length > 12 ? ', ...' : '');
    throw new RootReadError(where, `branch not found (the tree has ${names.length}: ${shown})`);
  }

  if (branch._typename === 'TBranchElement') {
    const match = /^vector<\s*(.+?)\s*>$/.exec(branch.fClassName ?? '');
    const type = match ? VECTOR_TYPES[match[1]!] : undefined;
    if (!type || branch.fType !== 0) {
      throw new RootReadError(
        where,
        `type ${branch.fClassName} is not supported ` +
          `(supported: std::vector of ${Object.keys(VECTOR_TYPES).join(', ')})`,
      );
    }
    return { name, kind: 'vector', type, branch };
  }

  const leaf = branch.fLeaves.arr[0];
  const types = leaf ? LEAF_TYPES[leaf._typename] : undefined;
  if (!leaf || !types || branch.fLeaves.arr.length !== 1) {
    const leaves = branch.fLeaves.arr.map((l) => l._typename).join(', ');
    throw new RootReadError(where, `leaf type(s) ${leaves || 'none'} are not supported`);
  }
  const type = leaf.fIsUnsigned ? types[1] : types[0];
  if (leaf.fLeafCount) return { name, kind: 'counted', type, branch };
  if (leaf.fLen !== 1) {
    throw new RootReadError(where, `fixed-size arrays (${branch.fTitle}) are not supported`);
  }
  return { name, kind: 'scalar', type, branch };
}
