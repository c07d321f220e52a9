// KaTeX and its style sheet and fonts: a chunk of their own, loaded with the first LaTeX a
// reader meets (markdown/Latex.tsx), as most messages have none.
import katex from 'katex';
import 'katex/dist/katex.min.css';

// A message is untrusted input:
//  - trust: false refuses every command that makes a link, an image or an attribute
//    (\href, \url, \includegraphics, \htmlId, \htmlClass, \htmlStyle, \htmlData); they are
//    shown as an error, in words;
//  - throwOnError: false shows a formula KaTeX cannot read as its source, in the error colour;
//  - output 'html' builds KaTeX's HTML only, no MathML;
//  - maxSize and maxExpand bound what a formula may draw (\rule{1000em}) and how far its macros
//    may expand, so one message cannot cover the screen or hang the page.
const OPTIONS = {
    trust: false,
    throwOnError: false,
    output: 'html',
    strict: 'ignore',
    maxSize: 20,
    maxExpand: 200,
} as const;

/** Draws `source` into `element`, replacing what it held. KaTeX builds the nodes with
 * document.createElement and sets their styles through the CSSOM, so no HTML is parsed and the
 * page's Content-Security-Policy (style-src 'self', no inline styles) holds. */
export function drawLatex(source: string, element: HTMLElement, display: boolean): void {
    katex.render(source, element, {...OPTIONS, displayMode: display});
}
