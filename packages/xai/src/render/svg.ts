/** Text for SVG element content and attributes. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** A text element in the sans-serif family fontconfig resolves (DejaVu Sans on Debian). */
export function svgText(
  x: number,
  y: number,
  text: string,
  options: {
    size?: number;
    fill?: string;
    anchor?: 'start' | 'middle' | 'end';
    weight?: string;
  } = {},
): string {
  const { size = 13, fill = '#111', anchor = 'start', weight = 'normal' } = options;
  return (
    `<text x="${x}" y="${y}" font-family="DejaVu Sans, sans-serif" font-size="${size}" ` +
    `font-weight="${weight}" fill="${fill}" text-anchor="${anchor}">${escapeXml(text)}</text>`
  );
}

export function svgDocument(width: number, height: number, body: string[]): Buffer {
  const open = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">`;
  return Buffer.from(`${open}${body.join('')}</svg>`);
}
