import {t} from '../i18n/i18n';
import type {Autocomplete} from './useAutocomplete';

/** The composer's suggestions: a listbox the textarea controls (it keeps the focus). */
export function SuggestionList({autocomplete}: {autocomplete: Autocomplete}) {
    if (!autocomplete.open) {
        return null;
    }
    return (
        <ul className='suggestions' id={autocomplete.listId} role='listbox' aria-label={t('composer.suggestions')}>
            {autocomplete.suggestions.map((suggestion, i) => (
                <li key={suggestion.insert} id={autocomplete.optionId(i)} role='option' aria-selected={i === autocomplete.active}
                    className={i === autocomplete.active ? 'suggestion active' : 'suggestion'}
                    // Keep the focus in the textarea: a mousedown there would take it.
                    onMouseDown={(e) => e.preventDefault()}
                    onMouseEnter={() => autocomplete.setActive(i)}
                    onClick={() => autocomplete.pick(i)}>
                    {suggestion.glyph && <span className='suggestion-emoji' aria-hidden='true'>{suggestion.glyph}</span>}
                    {suggestion.imageUrl && <img className='suggestion-emoji' src={suggestion.imageUrl} alt=''/>}
                    <span className='suggestion-label'>{suggestion.label}</span>
                    {suggestion.detail && <span className='suggestion-detail'>{suggestion.detail}</span>}
                </li>
            ))}
        </ul>
    );
}
