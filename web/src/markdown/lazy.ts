import {useEffect, useState} from 'react';

/** A module imported the first time something needs it (most messages need neither the syntax
 * colouring nor KaTeX); an import that fails is tried again by the next one that asks. */
export interface LazyModule<T> {
    loaded: () => T | null;
    load: () => Promise<T>;
}

export function lazyModule<T>(importer: () => Promise<T>): LazyModule<T> {
    let module: T | null = null;
    let loading: Promise<T> | null = null;
    return {
        loaded: () => module,
        load: () => {
            loading ??= importer().then((imported) => (module = imported), (error: unknown) => {
                loading = null;
                throw error;
            });
            return loading;
        },
    };
}

/** The module once it has loaded, null until then; it is asked for only while `wanted`. */
export function useLazyModule<T>(lazy: LazyModule<T>, wanted = true): T | null {
    const [module, setModule] = useState(lazy.loaded);
    useEffect(() => {
        if (module || !wanted) {
            return;
        }
        let current = true;
        lazy.load().then((loaded) => current && setModule(() => loaded), () => undefined);
        return () => {
            current = false;
        };
    }, [lazy, module, wanted]);
    return module;
}
