/**
 * The little XML eSCL needs: element trees without attributes' meaning, names without their namespace prefix
 * (devices spell `scan:`, `pwg:` or their own prefixes). No DTDs, no entities beyond the five predefined
 * ones: a scanner's answer is data, never markup to expand. Bounded in size by the caller's HTTP limit.
 */

export interface XmlElement {
  /** Local name, prefix removed: `scan:ColorMode` → `ColorMode`. */
  name: string;
  children: XmlElement[];
  /** Concatenated text directly inside the element, trimmed. */
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeText(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, code: string) => {
    if (code[0] === '#')
      return String.fromCodePoint(
        code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : Number(code.slice(1)),
      );
    return ENTITIES[code] ?? whole;
  });
}

const localName = (qualified: string) => qualified.slice(qualified.indexOf(':') + 1);

/** Parses a document into its root element; throws a plain Error (English) on malformed input. */
export function parseXml(source: string): XmlElement {
  const root: XmlElement = { name: '#document', children: [], text: '' };
  const stack: XmlElement[] = [root];
  const texts: string[][] = [[]];
  const tag =
    /<(\/?)([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>|<!DOCTYPE[^>]*>/g;
  let last = 0;
  for (let match = tag.exec(source); match; match = tag.exec(source)) {
    texts[texts.length - 1]?.push(decodeText(source.slice(last, match.index)));
    last = tag.lastIndex;
    const [, closing, qualified, , selfClosing, cdata] = match;
    if (cdata !== undefined) {
      texts[texts.length - 1]?.push(cdata);
      continue;
    }
    if (!qualified) continue; // declaration, comment, doctype
    if (closing) {
      const open = stack.pop();
      const text = texts.pop();
      if (!open || stack.length === 0 || open.name !== localName(qualified))
        throw new Error(`unbalanced XML at </${qualified}>`);
      open.text = (text ?? []).join('').trim();
      continue;
    }
    const element: XmlElement = { name: localName(qualified), children: [], text: '' };
    stack[stack.length - 1]?.children.push(element);
    if (!selfClosing) {
      stack.push(element);
      texts.push([]);
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed XML element <${stack[stack.length - 1]?.name}>`);
  const [first] = root.children;
  if (!first || root.children.length !== 1) throw new Error('XML document has no single root element');
  return first;
}

/** The first descendant reached by following local names, e.g. `find(caps, 'Adf', 'AdfDuplexInputCaps')`. */
export function find(element: XmlElement | undefined, ...path: string[]): XmlElement | undefined {
  let current = element;
  for (const name of path) {
    current = current?.children.find((c) => c.name === name);
    if (!current) return undefined;
  }
  return current;
}

/** Every descendant (any depth) with this local name, in document order. */
export function findAll(element: XmlElement | undefined, name: string): XmlElement[] {
  if (!element) return [];
  const out: XmlElement[] = [];
  const visit = (e: XmlElement) => {
    for (const child of e.children) {
      if (child.name === name) out.push(child);
      visit(child);
    }
  };
  visit(element);
  return out;
}

export function textOf(element: XmlElement | undefined, ...path: string[]): string | undefined {
  return find(element, ...path)?.text;
}

export function numberOf(element: XmlElement | undefined, ...path: string[]): number | undefined {
  const text = textOf(element, ...path);
  const value = text === undefined || text === '' ? Number.NaN : Number(text);
  return Number.isFinite(value) ? value : undefined;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${Object.entries(ENTITIES).find(([, v]) => v === c)?.[0]};`);
}
