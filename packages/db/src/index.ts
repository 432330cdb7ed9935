export const packageName = '@jetlens/db';
