export const packageName = '@jetlens/xai';
