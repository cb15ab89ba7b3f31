import { z } from 'zod';
import { createRoot } from 'react-dom/client';
import { localizePage } from '../../lib/ui/page';
import { ReportApp } from '../../components/report/ReportApp';
import '../../components/report/report.css';

z.config({ jitless: true });
localizePage('report_page_title');
createRoot(document.getElementById('root')!).render(<ReportApp />);
