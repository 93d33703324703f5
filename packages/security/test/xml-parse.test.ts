import { describe, expect, it } from 'vitest';
import { parseXmlSafely, SecurityError } from '../src/index.js';

function refusal(run: () => unknown): SecurityError {
  try {
    run();
  } catch (err) {
    if (err instanceof SecurityError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('parseXmlSafely', () => {
  it('parses a document with an XML declaration and comments', () => {
    const doc = parseXmlSafely('<?xml version="1.0" encoding="UTF-8"?><!-- c --><a><b>x</b></a>');
    expect(doc.documentElement?.localName).toBe('a');
    expect(doc.documentElement?.textContent).toBe('x');
  });

  it('refuses a DOCTYPE with an internal entity', () => {
    const err = refusal(() => parseXmlSafely('<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>'));
    expect(err.code).toBe('XML_DOCTYPE_FORBIDDEN');
  });

  it('refuses an external entity (XXE)', () => {
    const xml =
      '<?xml version="1.0"?>\n<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>';
    expect(refusal(() => parseXmlSafely(xml)).code).toBe('XML_DOCTYPE_FORBIDDEN');
  });

  it('refuses billion laughs before any expansion', () => {
    const entities = ['<!ENTITY l0 "lol">'];
    for (let i = 1; i < 10; i += 1) {
      entities.push(`<!ENTITY l${i} "${`&l${i - 1};`.repeat(10)}">`);
    }
    const xml = `<!DOCTYPE lolz [${entities.join('')}]><lolz>&l9;</lolz>`;
    const started = performance.now();
    expect(refusal(() => parseXmlSafely(xml)).code).toBe('XML_DOCTYPE_FORBIDDEN');
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('refuses a DOCTYPE hidden after a BOM, white space and a comment', () => {
    const xml = '\uFEFF \n<!-- hello --><!DOCTYPE a SYSTEM "http://127.0.0.1:1/x.dtd"><a/>';
    expect(refusal(() => parseXmlSafely(xml)).code).toBe('XML_DOCTYPE_FORBIDDEN');
  });

  it('refuses an undeclared entity reference as malformed', () => {
    expect(refusal(() => parseXmlSafely('<a>&e;</a>')).code).toBe('XML_MALFORMED');
  });

  it('refuses processing instructions, in the prolog and in content', () => {
    const prolog = '<?xml version="1.0"?><?xml-stylesheet href="x.xsl"?><a/>';
    expect(refusal(() => parseXmlSafely(prolog)).code).toBe('XML_PROCESSING_INSTRUCTION_FORBIDDEN');
    const content = '<a><b>1<?php echo 2 ?></b></a>';
    expect(refusal(() => parseXmlSafely(content)).code).toBe(
      'XML_PROCESSING_INSTRUCTION_FORBIDDEN',
    );
  });

  it('reports malformed XML with its line and column', () => {
    const err = refusal(() => parseXmlSafely('<a>\n  <b></c>\n</a>'));
    expect(err.code).toBe('XML_MALFORMED');
    expect(err.context.line).toBe(2);
    expect(typeof err.context.column).toBe('number');
  });

  it('refuses two roots, no root, and an unbound prefix', () => {
    expect(refusal(() => parseXmlSafely('<a/><b/>')).code).toBe('XML_MALFORMED');
    expect(refusal(() => parseXmlSafely('')).code).toBe('XML_MALFORMED');
    expect(refusal(() => parseXmlSafely('<p:a/>')).code).toBe('XML_MALFORMED');
  });

  it('refuses documents over the byte limit, counting UTF-8 bytes', () => {
    expect(refusal(() => parseXmlSafely(`<a>${'x'.repeat(100)}</a>`, { maxBytes: 64 })).code).toBe(
      'XML_TOO_LARGE',
    );
    const wide = `<a>${'č'.repeat(40)}</a>`;
    expect(wide.length).toBeLessThan(100);
    const err = refusal(() => parseXmlSafely(wide, { maxBytes: 80 }));
    expect(err.code).toBe('XML_TOO_LARGE');
    expect(err.context.bytes).toBe(87);
    const bytes = new TextEncoder().encode(wide);
    expect(refusal(() => parseXmlSafely(bytes, { maxBytes: 80 })).code).toBe('XML_TOO_LARGE');
  });

  it('has a default limit of 1 MiB', () => {
    const big = `<a>${'x'.repeat(1024 * 1024)}</a>`;
    expect(refusal(() => parseXmlSafely(big)).code).toBe('XML_TOO_LARGE');
    expect(parseXmlSafely(`<a>${'x'.repeat(1024 * 1000)}</a>`).documentElement).toBeTruthy();
  });

  it('refuses bytes that are not UTF-8', () => {
    const bytes = new Uint8Array([0x3c, 0x61, 0x3e, 0xff, 0xfe, 0x3c, 0x2f, 0x61, 0x3e]);
    expect(refusal(() => parseXmlSafely(bytes)).code).toBe('XML_MALFORMED');
  });

  it('refuses nesting deeper than the limit', () => {
    const nest = (n: number) => `${'<a>'.repeat(n)}${'</a>'.repeat(n)}`;
    expect(parseXmlSafely(nest(64)).documentElement).toBeTruthy();
    expect(refusal(() => parseXmlSafely(nest(65))).code).toBe('XML_TOO_DEEP');
    expect(refusal(() => parseXmlSafely(nest(11), { maxDepth: 10 })).code).toBe('XML_TOO_DEEP');
  });

  it('normalises line ends as XML 1.0 does (CR LF folded, U+2028 kept)', () => {
    const doc = parseXmlSafely('<a>1\r\n2\r3\u20284\u00855</a>');
    expect(doc.documentElement?.textContent).toBe('1\n2\n3\u20284\u00855');
  });
});
