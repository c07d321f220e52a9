import {useMemo} from 'react';

import {lazyModule, useLazyModule} from './lazy';

// The tokenizer arrives with the first block that names a language: most messages have none.
const syntax = lazyModule(() => import('./syntax'));

/** A fenced code block: verbatim, left to right, coloured once the tokenizer has loaded when it
 * names a language (as plain text until then, or if the language is not one it knows). */
export function CodeBlock({language, text}: {language: string; text: string}) {
    const tokenizer = useLazyModule(syntax, Boolean(language));
    const tokens = useMemo(() => (tokenizer && language ? tokenizer.tokenize(text, language) : null), [tokenizer, language, text]);
    return (
        <pre className='md-code' dir='ltr'>
            <code data-language={language || undefined}>
                {tokens ? tokens.map((token, i) => (
                    token.kind === 'plain' ? token.text : <span key={i} className={`tok-${token.kind}`}>{token.text}</span>
                )) : text}
            </code>
        </pre>
    );
}
