import type { NextConfig } from 'next';

const config: NextConfig = {
  // The web app talks to the GraphQL API only; it never imports core, xai or db.
  reactStrictMode: true,
  poweredByHeader: false,
};

export default config;
