/** Queries into an element's shadow root by `part`. */
export function shadow(el: Element): ShadowRoot {
  if (!el.shadowRoot) throw new Error(`${el.localName} has no shadow root`);
  return el.shadowRoot;
}

export function part<T extends Element = HTMLElement>(el: Element, name: string): T | null {
  return shadow(el).querySelector<T>(`[part~='${name}']`);
}

export function parts<T extends Element = HTMLElement>(el: Element, name: string): T[] {
  return [...shadow(el).querySelectorAll<T>(`[part~='${name}']`)];
}

function visit(node: ParentNode, selector: string, out: Element[]): void {
  for (const child of node.children) {
    if (child.matches(selector)) out.push(child);
    if (child.shadowRoot) visit(child.shadowRoot, selector, out);
    visit(child, selector, out);
  }
}

/** Every match in `el`'s shadow root and every shadow root nested in it, in tree order. */
export function deepAll<T extends Element = HTMLElement>(el: Element, selector: string): T[] {
  const out: Element[] = [];
  visit(shadow(el), selector, out);
  return out as T[];
}

export function deep<T extends Element = HTMLElement>(el: Element, selector: string): T | null {
  return deepAll<T>(el, selector)[0] ?? null;
}

/** `part` through nested shadow roots (the parts `<im-chat>` exports from its sub-elements). */
export function deepPart<T extends Element = HTMLElement>(el: Element, name: string): T | null {
  return deep<T>(el, `[part~='${name}']`);
}

export function deepParts<T extends Element = HTMLElement>(el: Element, name: string): T[] {
  return deepAll<T>(el, `[part~='${name}']`);
}
