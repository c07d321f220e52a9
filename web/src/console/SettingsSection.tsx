import {useEffect, useState} from 'react';

import {client, errorMessage} from '../api/client';
import {t} from '../i18n/i18n';
import type {Config} from './catalogue';
import {SettingsForm} from './SettingsForm';

/** The server's settings (GET /config), saved as a patch of what changed (PUT /config/patch). */
export default function SettingsSection() {
    const [config, setConfig] = useState<Config | null>(null);
    const [locked, setLocked] = useState<Config>({});
    const [error, setError] = useState('');
    // A new key remounts the form on the settings as the server now has them.
    const [version, setVersion] = useState(0);
    const [saved, setSaved] = useState(false);

    useEffect(() => {
        Promise.all([client.getConfig(), client.getEnvironmentConfig()]).then(([current, environment]) => {
            setConfig(current as unknown as Config);
            setLocked(environment as unknown as Config);
        }, (failure: unknown) => setError(errorMessage(failure)));
    }, []);

    if (error) {
        return <p className='form-error' role='alert'>{error}</p>;
    }
    if (!config) {
        return <p role='status'>{t('app.loading')}</p>;
    }
    const save = async (patch: Config) => {
        const updated = await client.patchConfig(patch as never);
        setConfig(updated as unknown as Config);
        setVersion(version + 1);
        setSaved(true);
    };
    return (
        <>
            {saved && <p role='status' className='console-status'>{t('console.settings.saved')}</p>}
            <SettingsForm key={version} config={config} locked={locked} onSave={save}/>
        </>
    );
}
