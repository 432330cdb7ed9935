export const apiPackage = '@jetlens/api';
