/**
 * Shows a listing's HTML as the shop would render it, in a sandboxed frame: no
 * scripts, no event handlers, no navigation, nothing reaches the app. The sandbox
 * attribute is empty on purpose; never add "allow-scripts".
 */
export function SafeHtml(props: { html: string; label: string }) {
  return <iframe class="html-preview" sandbox="" srcdoc={props.html} title={props.label} data-testid="safe-html" />;
}
