// The emoji picker: search, the recently used, the standard set by category in the chosen skin
// tone, and the server's custom emoji. Loaded on demand (see PickerButton.tsx), with the table.
import {useEffect, useMemo, useRef, useState, type KeyboardEvent} from 'react';

import {client} from '../api/client';
import {t, type MessageId} from '../i18n/i18n';
import {Dialog} from '../posts/Dialog';
import {store} from '../store/state';
import {customEmoji, loadCustomEmoji, useEmojiVersion} from './load';
import {loadEmojiPreferences, noteEmojiUsed, recentOrder, saveSkinTone, useEmojiPreferences} from './recent';
import {EMOJI_BY_CATEGORY, glyphFor, searchEmoji, tonedGlyph, tonedName, type Emoji} from './table';

const COLUMNS = 9;
const SEARCH_LIMIT = 90;
const TONE_SAMPLES = ['✋', '✋🏻', '✋🏼', '✋🏽', '✋🏾', '✋🏿'];

interface Item {
    name: string;
    glyph?: string;
    imageUrl?: string;
}

interface Section {
    id: string;
    title: string;
    items: Item[];
}

interface Props {
    title: string;
    onPick: (name: string) => void;
    onClose: () => void;
}

function standardItem(emoji: Emoji, tone: number): Item {
    return {name: tonedName(emoji, tone), glyph: tonedGlyph(emoji, tone)};
}

function itemFor(name: string): Item | null {
    const glyph = glyphFor(name);
    if (glyph) {
        return {name, glyph};
    }
    const own = customEmoji().get(name);
    return own ? {name, imageUrl: client.getCustomEmojiImageUrl(own.id)} : null;
}

function matchingCustom(term: string): Item[] {
    const query = term.toLowerCase();
    return [...customEmoji().values()]
        .filter((emoji) => emoji.name.includes(query))
        .sort((a, b) => Number(!a.name.startsWith(query)) - Number(!b.name.startsWith(query)) || a.name.localeCompare(b.name))
        .map((emoji) => ({name: emoji.name, imageUrl: client.getCustomEmojiImageUrl(emoji.id)}));
}

export default function EmojiPicker({title, onPick, onClose}: Props) {
    const me = store.get().me!;
    const {recent, skinTone} = useEmojiPreferences();
    // Custom emoji arrive after the picker opens; this changes when they do.
    const known = useEmojiVersion();
    const [term, setTerm] = useState('');
    const [choosingTone, setChoosingTone] = useState(false);
    const grid = useRef<HTMLDivElement>(null);

    useEffect(() => {
        void loadEmojiPreferences(me.id);
        void loadCustomEmoji();
    }, [me.id]);

    const sections = useMemo<Section[]>(() => {
        if (term.trim()) {
            const items = [
                ...searchEmoji(term.trim(), SEARCH_LIMIT).map((emoji) => standardItem(emoji, skinTone)),
                ...matchingCustom(term.trim()),
            ];
            return [{id: 'results', title: t('emoji.results'), items}];
        }
        const all: Section[] = [];
        const recentItems = recentOrder(recent).map(itemFor).filter((item): item is Item => item !== null);
        if (recentItems.length > 0) {
            all.push({id: 'recent', title: t('emoji.category.recent'), items: recentItems});
        }
        for (const category of EMOJI_BY_CATEGORY) {
            all.push({
                id: category.id,
                title: t(`emoji.category.${category.id}` as MessageId),
                items: category.emoji.map((emoji) => standardItem(emoji, skinTone)),
            });
        }
        const custom = matchingCustom('');
        if (custom.length > 0) {
            all.push({id: 'custom', title: t('emoji.category.custom'), items: custom});
        }
        return all;
    }, [term, recent, skinTone, known]);

    function pick(name: string) {
        noteEmojiUsed(me.id, name).catch(console.error);
        onPick(name);
    }

    function buttons(): HTMLButtonElement[] {
        return [...(grid.current?.querySelectorAll<HTMLButtonElement>('button.emoji-choice') ?? [])];
    }

    function onSearchKey(event: KeyboardEvent<HTMLInputElement>) {
        const first = sections[0]?.items[0];
        if (event.key === 'Enter' && first) {
            event.preventDefault();
            pick(first.name);
        } else if (event.key === 'ArrowDown') {
            event.preventDefault();
            buttons()[0]?.focus();
        }
    }

    function onGridKey(event: KeyboardEvent<HTMLDivElement>) {
        const all = buttons();
        const at = all.indexOf(document.activeElement as HTMLButtonElement);
        if (at < 0) {
            return;
        }
        const moves: Record<string, number> = {ArrowRight: 1, ArrowLeft: -1, ArrowDown: COLUMNS, ArrowUp: -COLUMNS};
        const rtl = document.documentElement.dir === 'rtl';
        let step = moves[event.key];
        if (step === undefined) {
            return;
        }
        if (rtl && Math.abs(step) === 1) {
            step = -step;
        }
        event.preventDefault();
        const next = at + step;
        if (next < 0) {
            grid.current?.closest('.emoji-picker')?.querySelector<HTMLInputElement>('input[type=search]')?.focus();
        } else {
            all[Math.min(next, all.length - 1)].focus();
        }
    }

    function jumpTo(id: string) {
        const heading = grid.current?.querySelector<HTMLElement>(`[data-section="${id}"]`);
        heading?.scrollIntoView({block: 'start'});
        heading?.parentElement?.querySelector<HTMLButtonElement>('button.emoji-choice')?.focus();
    }

    return (
        <Dialog title={title} onClose={onClose}>
            <div className='emoji-picker'>
                <div className='emoji-picker-top'>
                    <input type='search' className='emoji-search' aria-label={t('emoji.search')} placeholder={t('emoji.search')} autoFocus
                        value={term} onChange={(e) => setTerm(e.target.value)} onKeyDown={onSearchKey}/>
                    <button type='button' className='icon-button skin-tone-button' aria-expanded={choosingTone}
                        aria-label={t('emoji.skinTone')} title={t('emoji.skinTone')} onClick={() => setChoosingTone(!choosingTone)}>
                        {TONE_SAMPLES[skinTone]}
                    </button>
                </div>
                {choosingTone && (
                    <div className='skin-tones' role='radiogroup' aria-label={t('emoji.skinTone')}>
                        {TONE_SAMPLES.map((sample, tone) => (
                            <button key={tone} type='button' role='radio' aria-checked={tone === skinTone}
                                aria-label={t(`emoji.tone${tone}` as MessageId)} title={t(`emoji.tone${tone}` as MessageId)}
                                onClick={() => {
                                    setChoosingTone(false);
                                    saveSkinTone(me.id, tone).catch(console.error);
                                }}>{sample}</button>
                        ))}
                    </div>
                )}
                {!term.trim() && (
                    <nav className='emoji-categories' aria-label={t('emoji.categories')}>
                        {sections.map((section) => (
                            <button key={section.id} type='button' className='icon-button' title={section.title} aria-label={section.title}
                                onClick={() => jumpTo(section.id)}>
                                {section.items[0]?.glyph ?? (section.items[0]?.imageUrl ? <img src={section.items[0].imageUrl} alt=''/> : '')}
                            </button>
                        ))}
                    </nav>
                )}
                <div className='emoji-grid' ref={grid} onKeyDown={onGridKey}>
                    {sections.map((section) => (
                        <section key={section.id} aria-labelledby={`emoji-section-${section.id}`}>
                            <h3 id={`emoji-section-${section.id}`} data-section={section.id}>{section.title}</h3>
                            {section.items.length === 0 ? <p className='emoji-none'>{t('emoji.none')}</p> : (
                                <div className='emoji-choices'>
                                    {section.items.map((item, i) => (
                                        // One stop per section for Tab; the arrows move between all of them.
                                        <button key={item.name} type='button' className='emoji-choice' title={`:${item.name}:`} tabIndex={i === 0 ? 0 : -1}
                                            aria-label={`:${item.name}:`} onClick={() => pick(item.name)}>
                                            {item.glyph ?? <img src={item.imageUrl} alt='' loading='lazy'/>}
                                        </button>
                                    ))}
                                </div>
                            )}
                        </section>
                    ))}
                </div>
            </div>
        </Dialog>
    );
}

