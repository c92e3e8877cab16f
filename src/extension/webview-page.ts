// The one page both of Thaw's webviews load: a nonce CSP with `default-src 'none'`, resources
// from media/ only (the panels' localResourceRoots), and one bundled script.

import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export interface WebviewPage {
  readonly title: string;
  /** Stylesheets in media/, in order. */
  readonly styles: readonly string[];
  /** The bundled script in media/. */
  readonly script: string;
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
  const nonce = randomBytes(16).toString('base64');
  const media = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', file)).toString();
  // The toolkit inserts one <style> element at start-up; it carries the page's nonce (csp-nonce meta).
  const csp = [`default-src 'none'`, `script-src 'nonce-${nonce}'`, `style-src ${webview.cspSource} 'nonce-${nonce}'`, `font-src ${webview.cspSource}`, `img-src ${webview.cspSource} data:`].join('; ');
  const styles = page.styles.map((file) => `  <link rel="stylesheet" href="${media(file)}">`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <meta property="csp-nonce" content="${nonce}">
${styles}
  <title>${page.title}</title>
</head>
<body>
  <div id="app"></div>
  <script nonce="${nonce}" src="${media(page.script)}"></script>
</body>
</html>`;
}
