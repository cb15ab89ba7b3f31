import { z } from 'zod';
import { createRoot } from 'react-dom/client';
import { localizePage } from '../../lib/ui/page';
import { RulesApp } from '../../components/rules/RulesApp';
import '../../components/options/options.css';
import '../../components/rules/rules.css';

z.config({ jitless: true });
localizePage('rules_page_title');
createRoot(document.getElementById('root')!).render(<RulesApp />);
