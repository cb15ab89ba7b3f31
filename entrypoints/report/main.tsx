import { z } from 'zod';
import { createRoot } from 'react-dom/client';
import { ReportApp } from '../../components/report/ReportApp';
import '../../components/report/report.css';

z.config({ jitless: true });
createRoot(document.getElementById('root')!).render(<ReportApp />);
