import {StrictMode} from 'react';
import {createRoot} from 'react-dom/client';

import {startAnnouncer} from './a11y/announcer';
import {startRegionKeys} from './a11y/regions';
import {App} from './app/App';
import {startShell} from './desktop/shell';
import {setLocale} from './i18n/i18n';
import {startOfflineSupport} from './pwa/offline';
import {applyCachedTheme} from './settings/apply';
import './styles.css';

setLocale(navigator.language?.startsWith('en') ? navigator.language : 'en');
applyCachedTheme();
startShell();
startRegionKeys();
startAnnouncer();
startOfflineSupport();
createRoot(document.getElementById('root')!).render(<StrictMode><App/></StrictMode>);
