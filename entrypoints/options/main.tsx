import { z } from 'zod';
import { createRoot } from 'react-dom/client';
import { localizePage } from '../../lib/ui/page';
import { OptionsApp } from '../../components/options/OptionsApp';
import '../../components/options/options.css';

z.config({ jitless: true });
localizePage('options_page_title');
createRoot(document.getElementById('root')!).render(<OptionsApp />);
