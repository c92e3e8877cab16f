// A small element builder, so each view reads as the shape of its markup. Text always goes in
// as text nodes: nothing here parses HTML, so no message content can inject any.

interface ElementProperties {
  readonly id?: string;
  readonly className?: string;
  readonly text?: string;
  readonly attributes?: Readonly<Record<string, string>>;
}

export function element<Tag extends keyof HTMLElementTagNameMap>(
  tag: Tag,
  properties: ElementProperties = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[Tag] {
  const created = document.createElement(tag);
  if (properties.id !== undefined) created.id = properties.id;
  if (properties.className !== undefined) created.className = properties.className;
  if (properties.text !== undefined) created.textContent = properties.text;
  for (const [name, value] of Object.entries(properties.attributes ?? {})) created.setAttribute(name, value);
  created.append(...children);
  return created;
}

/** Sets an element's text only when it differs, so an unchanged header does not cost a layout. */
export function setText(target: Element, text: string): void {
  if (target.textContent !== text) target.textContent = text;
}
