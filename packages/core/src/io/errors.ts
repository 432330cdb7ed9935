/** Where in a ROOT file a problem was found. */
export interface RootLocation {
  file: string;
  tree?: string;
  branch?: string;
  entry?: number;
}

function describe(where: RootLocation): string {
  const parts = [where.file];
  if (where.tree !== undefined) parts.push(`tree '${where.tree}'`);
  if (where.branch !== undefined) parts.push(`branch '${where.branch}'`);
  if (where.entry !== undefined) parts.push(`entry ${where.entry}`);
  return parts.join(', ');
}

/**
 * A ROOT file that cannot be read as JetLens expects: not ROOT, truncated, missing a tree or
 * branch, or holding values that break the schema. The message starts with the location.
 */
export class RootReadError extends Error {
  readonly where: RootLocation;

  constructor(where: RootLocation, problem: string) {
    super(`${describe(where)}: ${problem}`);
    this.name = 'RootReadError';
    this.where = where;
  }
}
