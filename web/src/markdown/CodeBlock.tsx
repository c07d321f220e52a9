import {useEffect, useMemo, useState} from 'react';

type Syntax = typeof import('./syntax');

// The tokenizer arrives with the first block that names a language: most messages have none.
let syntax: Syntax | null = null;
let loading: Promise<Syntax> | null = null;

function loadSyntax(): Promise<Syntax> {
    loading ??= import('./syntax').then((loaded) => (syntax = loaded), (error: unknown) => {
        loading = null;
        throw error;
    });
    return loading;
}

/** A fenced code block: verbatim, left to right, coloured once the tokenizer has loaded when it
 * names a language (as plain text until then, or if the language is not one it knows). */
export function CodeBlock({language, text}: {language: string; text: string}) {
    const [ready, setReady] = useState(syntax !== null);
    useEffect(() => {
        if (ready || !language) {
            return;
        }
        let current = true;
        loadSyntax().then(() => current && setReady(true), () => undefined);
        return () => {
            current = false;
        };
    }, [ready, language]);
    const tokens = useMemo(() => (ready && language ? syntax?.tokenize(text, language) ?? null : null), [ready, language, text]);
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
