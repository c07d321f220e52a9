import {useState, type FormEvent} from 'react';

import {t, type MessageId} from '../i18n/i18n';
import en from '../i18n/messages/en';
import {changedSettings, groupSettings, type Config, type SettingSpec} from './catalogue';

interface Props {
    config: Config;
    /** Settings the environment or the TOML file sets: shown, not editable here. */
    locked: Config;
    /** Saves the changed settings; a rejection's message is shown (the server's envelope). */
    onSave: (patch: Config) => Promise<void>;
}

/** Every setting of the config API, by section, each with its help text and an input of its type. */
export function SettingsForm({config, locked, onSave}: Props) {
    const [edited, setEdited] = useState<Config>(config);
    const [error, setError] = useState('');
    const [busy, setBusy] = useState(false);
    const patch = changedSettings(config, edited);
    const dirty = Object.keys(patch).length > 0;

    const change = (spec: SettingSpec, value: unknown) => {
        setEdited({...edited, [spec.section]: {...edited[spec.section], [spec.key]: value}});
    };
    const submit = (event: FormEvent) => {
        event.preventDefault();
        setBusy(true);
        setError('');
        onSave(patch).catch((failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure))).
            finally(() => setBusy(false));
    };

    return (
        <form onSubmit={submit} aria-label={t('console.settings.title')}>
            <div className='console-toolbar'>
                <button type='submit' className='primary' disabled={!dirty || busy}>{t('console.settings.save')}</button>
            </div>
            {error && <p className='form-error' role='alert'>{error}</p>}
            {groupSettings(config).map(({section, settings}) => (
                <fieldset key={section} className='console-fieldset'>
                    <legend>{section}</legend>
                    {settings.map((spec) => (
                        <Setting key={spec.key} spec={spec} value={edited[spec.section]?.[spec.key]}
                            locked={Boolean(locked[spec.section]?.[spec.key])} onChange={(value) => change(spec, value)}/>
                    ))}
                </fieldset>
            ))}
        </form>
    );
}

function helpOf(spec: SettingSpec): string {
    const id = `console.help.${spec.section}.${spec.key}`;
    // Every key is in English; a setting newer than the catalogue has none.
    return id in en ? t(id as MessageId) : '';
}

function Setting({spec, value, locked, onChange}: {spec: SettingSpec; value: unknown; locked: boolean; onChange: (value: unknown) => void}) {
    const id = `setting-${spec.section}-${spec.key}`;
    const help = [helpOf(spec), locked ? t('console.settings.locked', {env: spec.env || spec.key}) : ''].filter(Boolean).join(' ');
    const described = help ? `${id}-help` : undefined;
    let input;
    if (spec.type === 'bool') {
        input = (
            <span className='toggle'>
                <input id={id} type='checkbox' role='switch' checked={value === true} disabled={locked} aria-describedby={described}
                    onChange={(event) => onChange(event.target.checked)}/>
                {/* The switch says whether it is on; this says it to the eye. */}
                <span aria-hidden='true'> {value === true ? t('console.settings.on') : t('console.settings.off')}</span>
            </span>
        );
    } else if (spec.type === 'select' && spec.choices.length > 0) {
        input = (
            <select id={id} value={String(value ?? '')} disabled={locked} aria-describedby={described} onChange={(event) => onChange(event.target.value)}>
                {spec.choices.map((choice) => <option key={choice} value={choice}>{choice || t('console.settings.none')}</option>)}
            </select>
        );
    } else if (spec.type === 'number') {
        input = (
            <input id={id} type='number' value={String(value ?? '')} disabled={locked} aria-describedby={described}
                onChange={(event) => onChange(event.target.value === '' || Number.isNaN(Number(event.target.value)) ? event.target.value : Number(event.target.value))}/>
        );
    } else {
        // A secret comes masked; left as it is, the server keeps the stored one.
        input = (
            <input id={id} type={spec.secret ? 'password' : 'text'} value={String(value ?? '')} disabled={locked} aria-describedby={described}
                autoComplete='off' onChange={(event) => onChange(event.target.value)}/>
        );
    }
    return (
        <div className='console-setting'>
            <label htmlFor={id}><code>{spec.key}</code></label>
            {input}
            {help && <p id={described} className='hint'>{help}</p>}
        </div>
    );
}
