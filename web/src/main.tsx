import {StrictMode} from 'react';
import {createRoot} from 'react-dom/client';

import {App} from './app/App';
import {setLocale} from './i18n/i18n';
import {applyCachedTheme} from './settings/apply';
import './styles.css';

setLocale(navigator.language?.startsWith('en') ? navigator.language : 'en');
applyCachedTheme();
createRoot(document.getElementById('root')!).render(<StrictMode><App/></StrictMode>);
