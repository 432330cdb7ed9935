import type { ReactNode } from 'react';

export const metadata = {
  title: 'JetLens',
  description: 'Why does a jet tagger decide what it decides?',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: 'system-ui, sans-serif', margin: '2rem', maxWidth: '60rem' }}>
        {children}
      </body>
    </html>
  );
}
