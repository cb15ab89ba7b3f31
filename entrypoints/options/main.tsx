import { z } from 'zod';
import { createRoot } from 'react-dom/client';
import { OptionsApp } from '../../components/options/OptionsApp';
import '../../components/options/options.css';

z.config({ jitless: true });
createRoot(document.getElementById('root')!).render(<OptionsApp />);
