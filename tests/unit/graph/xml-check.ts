// A strict little XML reader for tests (no new packages): well-formedness of tags, attributes,
// entities and characters, returning the element tree with decoded attribute values and text.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_][\w.:-]*/;
// eslint-disable-next-line no-control-regex
const BAD_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function decode(raw: string, where: string): string {
  if (raw.includes('<')) throw new Error(`raw '<' in ${where}`);
  if (BAD_CHAR.test(raw)) throw new Error(`character not allowed in XML in ${where}`);
  return raw.replace(/&([^;]*);?/g, (m, ent: string) => {
    if (!m.endsWith(';')) throw new Error(`unterminated entity in ${where}: ${m}`);
    switch (ent) {
      case 'amp': return '&';
      case 'lt': return '<';
      case 'gt': return '>';
      case 'quot': return '"';
      case 'apos': return "'";
    }
    if (/^#x[0-9a-f]+$/i.test(ent)) return String.fromCodePoint(parseInt(ent.slice(2), 16));
    if (/^#\d+$/.test(ent)) return String.fromCodePoint(Number(ent.slice(1)));
    throw new Error(`unknown entity &${ent}; in ${where}`);
  });
}

/** Parses `xml` or throws with the first well-formedness error. */
export function parseXml(xml: string): { root: XmlElement } {
  let i = 0;
  if (xml.startsWith('<?xml')) {
    i = xml.indexOf('?>') + 2;
    if (i < 2) throw new Error('unterminated XML declaration');
  }
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (stack.length === 0 && text.trim()) throw new Error(`text outside the root element at ${i}`);
    if (stack.length) stack[stack.length - 1].text += decode(text, `text at ${i}`);
    if (lt < 0) break;
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt);
      if (end < 0) throw new Error('unterminated comment');
      i = end + 3;
      continue;
    }
    const gt = xml.indexOf('>', lt);
    if (gt < 0) throw new Error(`unterminated tag at ${lt}`);
    let tag = xml.slice(lt + 1, gt);
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`</${name}> closes <${open?.name ?? 'nothing'}>`);
      i = gt + 1;
      continue;
    }
    const selfClosing = tag.endsWith('/');
    if (selfClosing) tag = tag.slice(0, -1);
    const nameMatch = NAME.exec(tag);
    if (!nameMatch) throw new Error(`bad element name at ${lt}`);
    const el: XmlElement = { name: nameMatch[0], attrs: {}, children: [], text: '' };
    let rest = tag.slice(nameMatch[0].length);
    while (rest.trim()) {
      const m = /^\s+([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/.exec(rest);
      if (!m) throw new Error(`bad attribute in <${el.name}> at ${lt}: ${rest.slice(0, 40)}`);
      if (m[1] in el.attrs) throw new Error(`duplicate attribute ${m[1]} in <${el.name}>`);
      el.attrs[m[1]] = decode(m[3] ?? m[4], `attribute ${m[1]} of <${el.name}>`);
      rest = rest.slice(m[0].length);
    }
    if (stack.length) stack[stack.length - 1].children.push(el);
    else if (root) throw new Error('second root element');
    else root = el;
    if (!selfClosing) stack.push(el);
    i = gt + 1;
  }
  if (stack.length) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  if (!root) throw new Error('no root element');
  return { root };
}
