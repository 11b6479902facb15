/**
 * The one registration helper. A page may load the bundle twice (two script tags, two copies of
 * a framework wrapper); the second registration of a tag is skipped instead of throwing.
 */
export function defineElement(tag: string, ctor: CustomElementConstructor): boolean {
  if (typeof customElements === 'undefined') return false;
  if (customElements.get(tag)) return false;
  customElements.define(tag, ctor);
  return true;
}
