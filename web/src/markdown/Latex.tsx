import {useLayoutEffect, useRef} from 'react';

import {CodeBlock} from './CodeBlock';
import {lazyModule, useLazyModule} from './lazy';

type Renderer = typeof import('./katex');

// KaTeX (76 KB gzip of script, 8 KB of CSS, and fonts) arrives with the first formula shown.
const katex = lazyModule(() => import('./katex'));

/** Resolves once KaTeX has loaded (for tests and for anything that must wait for it). */
export function latexLoaded(): Promise<unknown> {
    return katex.load();
}

/** The formula drawn by KaTeX into an element React leaves empty (KaTeX owns its children).
 * Screen readers hear the source, as KaTeX's HTML means nothing read aloud. */
function Formula({source, display, module}: {source: string; display: boolean; module: Renderer}) {
    const ref = useRef<HTMLElement>(null);
    useLayoutEffect(() => {
        if (ref.current) {
            module.drawLatex(source, ref.current, display);
        }
    }, [module, source, display]);
    const Tag = display ? 'div' : 'span';
    return <Tag ref={ref as never} className={display ? 'md-latex' : 'md-latex-inline'} role='img' aria-label={source} dir='ltr'/>;
}

/** A ```latex block: as a code block until KaTeX has loaded (or if it cannot), then drawn. */
export function LatexBlock({text}: {text: string}) {
    const module = useLazyModule(katex);
    return module ? <Formula source={text} display module={module}/> : <CodeBlock language='' text={text}/>;
}

/** An inline $formula$: as its source, in code style, until KaTeX has loaded. */
export function LatexInline({text}: {text: string}) {
    const module = useLazyModule(katex);
    return module ? <Formula source={text} display={false} module={module}/> : <code className='md-inline-code' dir='ltr'>{`$${text}$`}</code>;
}
