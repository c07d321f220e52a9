import {useEffect, useId, useRef, useState, type KeyboardEvent, type RefObject} from 'react';

import {suggest, type Where} from './suggest';
import {applyPick, findTrigger, type Suggestion, type Trigger} from './trigger';

// Typing fast asks once, not once per letter.
const DEBOUNCE_MS = 120;

export interface Autocomplete {
    listId: string;
    optionId: (index: number) => string;
    suggestions: Suggestion[];
    active: number;
    open: boolean;
    /** Call with every caret move or text change. */
    update: () => void;
    /** True when the key was the list's (arrows, Enter, Tab, Escape while it is open). */
    onKeyDown: (event: KeyboardEvent<HTMLTextAreaElement>) => boolean;
    pick: (index: number) => void;
    setActive: (index: number) => void;
}

function sameTrigger(a: Trigger | null, b: Trigger | null): boolean {
    return a?.kind === b?.kind && a?.term === b?.term && a?.start === b?.start;
}

export function useAutocomplete(box: RefObject<HTMLTextAreaElement | null>, setText: (text: string) => void, where: Where): Autocomplete {
    const listId = useId();
    const [trigger, setTrigger] = useState<Trigger | null>(null);
    const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
    const [active, setActive] = useState(0);
    // Escape closes the list until the typed word changes.
    const [dismissed, setDismissed] = useState<Trigger | null>(null);
    const asked = useRef(0);
    const whereRef = useRef(where);
    whereRef.current = where;

    useEffect(() => {
        if (!trigger) {
            setSuggestions([]);
            return;
        }
        const request = ++asked.current;
        const timer = setTimeout(() => {
            suggest(trigger, whereRef.current).then((found) => {
                if (request === asked.current) {
                    setSuggestions(found);
                    setActive(0);
                }
            }, (error) => {
                console.error(error);
                if (request === asked.current) {
                    setSuggestions([]);
                }
            });
        }, DEBOUNCE_MS);
        return () => clearTimeout(timer);
    }, [trigger]);

    const update = () => {
        const textarea = box.current;
        if (!textarea) {
            return;
        }
        const next = textarea.selectionStart === textarea.selectionEnd ? findTrigger(textarea.value, textarea.selectionStart) : null;
        if (!sameTrigger(next, trigger)) {
            setTrigger(next);
            if (!next) {
                setSuggestions([]);
            }
        }
        if (dismissed && !sameTrigger(next, dismissed)) {
            setDismissed(null);
        }
    };

    const open = trigger !== null && suggestions.length > 0 && !sameTrigger(trigger, dismissed);

    const pick = (index: number) => {
        const textarea = box.current;
        const chosen = suggestions[index];
        if (!textarea || !trigger || !chosen) {
            return;
        }
        const result = applyPick(textarea.value, textarea.selectionStart, trigger, chosen.insert);
        setText(result.text);
        setTrigger(null);
        setSuggestions([]);
        asked.current++;
        requestAnimationFrame(() => {
            textarea.focus();
            textarea.setSelectionRange(result.caret, result.caret);
        });
    };

    const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): boolean => {
        if (!open) {
            return false;
        }
        switch (event.key) {
        case 'ArrowDown':
            setActive((active + 1) % suggestions.length);
            break;
        case 'ArrowUp':
            setActive((active - 1 + suggestions.length) % suggestions.length);
            break;
        case 'Enter':
        case 'Tab':
            if (event.shiftKey) {
                return false;
            }
            pick(active);
            break;
        case 'Escape':
            setDismissed(trigger);
            break;
        default:
            return false;
        }
        event.preventDefault();
        return true;
    };

    return {listId, optionId: (i) => `${listId}-${i}`, suggestions, active, open, update, onKeyDown, pick, setActive};
}
