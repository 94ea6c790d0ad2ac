/**
 * A strict little XML 1.0 reader for the JUnit tests (only tests import this; the project has no
 * XML parser and should not gain one for a test). It throws on anything a real parser rejects
 * that the writer could plausibly produce: unbalanced tags, raw `<`/`&`, unknown entities,
 * unquoted or duplicate attributes, illegal characters.
 */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ILLEGAL = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const NAME = /^[A-Za-z_][\w.-]*/;
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(raw: string, where: number): string {
  if (raw.includes("<")) throw new Error(`raw '<' in text or attribute near ${where}`);
  return raw.replace(/&([^;]*);?/g, (match, ref: string) => {
    if (!match.endsWith(";")) throw new Error(`unterminated reference near ${where}`);
    if (ENTITIES[ref] !== undefined) return ENTITIES[ref];
    const code = /^#x[0-9a-fA-F]+$/.test(ref) ? parseInt(ref.slice(2), 16) : /^#[0-9]+$/.test(ref) ? parseInt(ref.slice(1), 10) : NaN;
    if (Number.isNaN(code)) throw new Error(`unknown entity &${ref}; near ${where}`);
    const ch = String.fromCodePoint(code);
    if (ILLEGAL.test(ch)) throw new Error(`reference to an illegal character near ${where}`);
    return ch;
  });
}

export function parseXml(xml: string): XmlElement {
  const illegal = ILLEGAL.exec(xml);
  if (illegal) throw new Error(`illegal character U+${illegal[0].codePointAt(0)!.toString(16)} at ${illegal.index}`);
  let pos = 0;
  if (xml.startsWith("<?xml")) pos = xml.indexOf("?>") + 2;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;

  while (pos < xml.length) {
    const lt = xml.indexOf("<", pos);
    const text = decode(xml.slice(pos, lt === -1 ? xml.length : lt), pos);
    if (stack.length > 0) stack.at(-1)!.text += text;
    else if (text.trim() !== "") throw new Error(`text outside the root element near ${pos}`);
    if (lt === -1) break;
    const gt = xml.indexOf(">", lt);
    if (gt === -1) throw new Error(`unclosed tag at ${lt}`);
    const tag = xml.slice(lt + 1, gt);

    if (tag.startsWith("/")) {
      const open = stack.pop();
      if (open === undefined || open.name !== tag.slice(1).trim())
        throw new Error(`</${tag.slice(1)}> does not close <${open?.name}> at ${lt}`);
    } else {
      const selfClosing = tag.endsWith("/");
      const body = selfClosing ? tag.slice(0, -1) : tag;
      const name = NAME.exec(body)?.[0];
      if (name === undefined) throw new Error(`bad tag name at ${lt}`);
      const element: XmlElement = { name, attrs: {}, children: [], text: "" };
      let rest = body.slice(name.length);
      while (rest.trim() !== "") {
        const attr = /^\s+([A-Za-z_][\w.:-]*)="([^"]*)"/.exec(rest);
        if (attr === null) throw new Error(`malformed attribute in <${name}> at ${lt}: ${rest.slice(0, 40)}`);
        if (attr[1]! in element.attrs) throw new Error(`duplicate attribute ${attr[1]} at ${lt}`);
        element.attrs[attr[1]!] = decode(attr[2]!, lt);
        rest = rest.slice(attr[0].length);
      }
      if (stack.length > 0) stack.at(-1)!.children.push(element);
      else if (root === undefined) root = element;
      else throw new Error(`second root element at ${lt}`);
      if (!selfClosing) stack.push(element);
    }
    pos = gt + 1;
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.at(-1)!.name}>`);
  if (root === undefined) throw new Error("no root element");
  return root;
}
