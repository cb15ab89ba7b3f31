import { z } from 'zod';
import { createRoot } from 'react-dom/client';
import { localizePage } from '../../lib/i18n';
import { PopupApp } from '../../components/popup/PopupApp';
import '../../components/popup/popup.css';

z.config({ jitless: true });
localizePage('popup_page_title');
createRoot(document.getElementById('root')!).render(<PopupApp />);
