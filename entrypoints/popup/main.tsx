import { z } from 'zod';
import { createRoot } from 'react-dom/client';
import { PopupApp } from '../../components/popup/PopupApp';
import '../../components/popup/popup.css';

z.config({ jitless: true });
createRoot(document.getElementById('root')!).render(<PopupApp />);
