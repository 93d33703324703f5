// Reads schemas/async-batch.xsd into the shape of the validator's table, to keep the two in step.

import { readFileSync } from 'node:fs';
import { parseXmlSafely } from '@interop-blocks/security';
import type {
  AttributeSpec,
  ChoiceParticle,
  ElementParticle,
  ElementSpec,
  SimpleTypeSpec,
} from '../../src/files/batch-schema.js';

const XS = 'http://www.w3.org/2001/XMLSchema';
type El = NonNullable<ReturnType<typeof parseXmlSafely>['documentElement']>;

const kids = (e: El, name?: string): El[] => {
  const out: El[] = [];
  for (let n = e.firstChild; n; n = n.nextSibling) {
    if (
      n.nodeType === 1 &&
      (n as El).namespaceURI === XS &&
      (!name || (n as El).localName === name)
    ) {
      out.push(n as El);
    }
  }
  return out;
};
const occurs = (e: El, attr: string): number | 'unbounded' => {
  const v = e.getAttribute(attr);
  if (v === null || v === '') return 1;
  return v === 'unbounded' ? 'unbounded' : Number(v);
};

/** The XSD's global simple types and elements. */
export function readXsd(url: URL): {
  simpleTypes: Record<string, SimpleTypeSpec>;
  elements: Record<string, ElementSpec>;
} {
  const root = parseXmlSafely(readFileSync(url)).documentElement!;
  const simpleTypes: Record<string, SimpleTypeSpec> = {};
  for (const type of kids(root, 'simpleType')) {
    const restriction = kids(type, 'restriction')[0]!;
    const spec: SimpleTypeSpec = {
      base: restriction.getAttribute('base') as SimpleTypeSpec['base'],
    };
    for (const facet of kids(restriction)) {
      const value = facet.getAttribute('value')!;
      if (facet.localName === 'pattern') spec.pattern = value;
      if (facet.localName === 'minLength') spec.minLength = Number(value);
      if (facet.localName === 'maxLength') spec.maxLength = Number(value);
      if (facet.localName === 'enumeration') (spec.enumeration ??= []).push(value);
    }
    simpleTypes[type.getAttribute('name')!] = spec;
  }

  const elements: Record<string, ElementSpec> = {};
  for (const element of kids(root, 'element')) {
    const complex = kids(element, 'complexType')[0];
    const spec: ElementSpec = { attributes: [], sequence: [] };
    if (!complex) spec.type = element.getAttribute('type')!;
    else {
      spec.attributes = kids(complex, 'attribute').map((a): AttributeSpec => ({
        name: a.getAttribute('name')!,
        type: a.getAttribute('type')!,
        required: a.getAttribute('use') === 'required',
      }));
      for (const particle of kids(complex, 'sequence').flatMap((s) => kids(s))) {
        if (particle.localName === 'element') {
          spec.sequence.push({
            ref: particle.getAttribute('ref')!,
            min: occurs(particle, 'minOccurs') as number,
            max: occurs(particle, 'maxOccurs'),
          } satisfies ElementParticle);
        } else {
          spec.sequence.push({
            choice: kids(particle, 'element').map((c) => c.getAttribute('ref')!),
            min: occurs(particle, 'minOccurs') as number,
            max: occurs(particle, 'maxOccurs'),
          } satisfies ChoiceParticle);
        }
      }
    }
    elements[element.getAttribute('name')!] = spec;
  }
  return { simpleTypes, elements };
}
