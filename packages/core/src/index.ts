export const packageName = '@jetlens/core';
