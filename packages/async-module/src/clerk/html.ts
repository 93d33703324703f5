// HTML building blocks of the clerk page: escaping and the page layout with its inline style.

import { createHash } from 'node:crypto';

/** Escapes text for HTML content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

// Dark text on white and white on dark blue: contrast ratios above 7:1 (WCAG 2.2 AAA, 1.4.6).
const STYLE = `
body{font:16px/1.5 system-ui,sans-serif;color:#1a1a1a;background:#fff;margin:0}
main{max-width:48rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem}h2{font-size:1.2rem}
fieldset{border:1px solid #555;border-radius:4px;margin:0 0 1.5rem;padding:1rem}
legend{font-weight:600;padding:0 .25rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0 0 1rem}
dt{font-weight:600}dd{margin:0}
label{display:block;margin:.5rem 0 .25rem;font-weight:600}
input,select,textarea{font:inherit;padding:.4rem;border:1px solid #333;border-radius:3px}
.choice label{display:inline;font-weight:400;margin-right:1rem}
button{font:inherit;background:#0b4f8a;color:#fff;border:0;border-radius:4px;
padding:.5rem 1rem;margin-top:1rem}
:focus-visible{outline:3px solid #b35900;outline-offset:2px}
.notice{border-left:4px solid #0b4f8a;padding:.5rem 1rem;background:#eef4fa}
.error{border-left:4px solid #a00000;padding:.5rem 1rem;background:#fbeaea}
`.trim();

/** The `style-src` source of the inline style, for the Content-Security-Policy. */
export const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

/** The Content-Security-Policy of every clerk page: nothing external, no script at all. */
export const CLERK_CSP = [
  "default-src 'none'",
  `style-src ${STYLE_HASH}`,
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** A whole page: title, heading, and the (already escaped) body. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
}
